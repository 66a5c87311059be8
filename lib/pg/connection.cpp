#include "pg/connection.hpp"

#include <algorithm>
#include <cstdlib>
#include <fmt/core.h>
#include <pqxx/except>

namespace schemakit::pg {
namespace {

using ConninfoOptions = std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)>;

ConninfoOptions parse_conninfo(std::string_view conninfo) {
  char* err = nullptr;
  PQconninfoOption* options = PQconninfoParse(std::string(conninfo).c_str(), &err);
  if (options == nullptr) {
    std::string message = err ? err : "out of memory";
    if (err) PQfreemem(err);
    while (!message.empty() && message.back() == '\n') message.pop_back();
    throw UsageError(fmt::format("invalid connection string: {}", message));
  }
  return ConninfoOptions(options, &PQconninfoFree);
}

bool looks_like_conninfo(std::string_view target) {
  return target.find('=') != std::string_view::npos || target.starts_with("postgresql://") ||
         target.starts_with("postgres://");
}

// Rebuilds a keyword=value conninfo from parsed options, optionally overriding some keys.
std::string render(const ConninfoOptions& options, const std::map<std::string, std::string>& overrides,
                   bool mask) {
  std::map<std::string, std::string> values;
  for (PQconninfoOption* o = options.get(); o->keyword != nullptr; ++o) {
    if (o->val != nullptr && *o->val != '\0') values[o->keyword] = o->val;
  }
  for (const auto& [k, v] : overrides) values[k] = v;
  std::string out;
  for (const auto& [k, v] : values) {
    if (!out.empty()) out += ' ';
    out += k;
    out += '=';
    out += (mask && k == "password") ? std::string("********") : quote_conninfo_value(v);
  }
  return out;
}

std::string env_or_empty(const char* name) {
  const char* v = std::getenv(name);
  return v ? std::string(v) : std::string();
}

std::string trim_trailing_newlines(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

}  // namespace

std::string quote_conninfo_value(std::string_view value) {
  std::string out = "'";
  for (char c : value) {
    if (c == '\'' || c == '\\') out += '\\';
    out += c;
  }
  out += '\'';
  return out;
}

std::string resolve_conninfo(std::string_view target) {
  std::string base = looks_like_conninfo(target)
                         ? std::string(target)
                         : "dbname=" + quote_conninfo_value(target);
  ConninfoOptions options = parse_conninfo(base);
  std::map<std::string, std::string> given;
  for (PQconninfoOption* o = options.get(); o->keyword != nullptr; ++o) {
    if (o->val != nullptr && *o->val != '\0') given[o->keyword] = o->val;
  }
  // The older deployment scripts used DB_HOST / DB_PORT / DB_USER; honour them only where
  // neither the target nor libpq's own PG* variables decide.
  std::map<std::string, std::string> fallbacks;
  const std::pair<const char*, std::pair<const char*, const char*>> legacy[] = {
      {"host", {"PGHOST", "DB_HOST"}}, {"port", {"PGPORT", "DB_PORT"}}, {"user", {"PGUSER", "DB_USER"}}};
  for (const auto& [keyword, vars] : legacy) {
    if (given.count(keyword) || !env_or_empty(vars.first).empty()) continue;
    std::string value = env_or_empty(vars.second);
    if (!value.empty()) fallbacks[keyword] = value;
  }
  if (fallbacks.empty()) return base;
  return render(options, fallbacks, false);
}

std::string mask_password(std::string_view conninfo) {
  try {
    ConninfoOptions options = parse_conninfo(conninfo);
    return render(options, {}, true);
  } catch (const UsageError&) {
    return "<unparseable connection string>";
  }
}

std::string with_dbname(std::string_view conninfo, std::string_view dbname) {
  ConninfoOptions options = parse_conninfo(conninfo);
  return render(options, {{"dbname", std::string(dbname)}}, false);
}

void rethrow_as_server_error(std::string_view doing, ExitCode code) {
  try {
    throw;
  } catch (const pqxx::sql_error& e) {
    // libpqxx 6.4 throws insufficient_privilege without its SQLSTATE.
    std::string sqlstate = e.sqlstate();
    if (sqlstate.empty() && dynamic_cast<const pqxx::insufficient_privilege*>(&e) != nullptr) sqlstate = "42501";
    throw ServerError(code,
                      fmt::format("{}: {}{}", doing, sqlstate.empty() ? "" : "SQLSTATE " + sqlstate + ": ",
                                  trim_trailing_newlines(e.what())),
                      sqlstate, e.query());
  } catch (const pqxx::broken_connection& e) {
    throw ServerError(ExitCode::trouble, fmt::format("{}: connection lost: {}", doing,
                                                     trim_trailing_newlines(e.what())));
  } catch (const Error&) {
    throw;
  } catch (const std::exception& e) {
    throw ServerError(code, fmt::format("{}: {}", doing, trim_trailing_newlines(e.what())));
  }
}

std::unique_ptr<pqxx::connection> connect(const std::string& conninfo,
                                          std::string_view application_name) {
  std::string full = conninfo;
  ConninfoOptions options = parse_conninfo(conninfo);
  bool has_app_name = false;
  for (PQconninfoOption* o = options.get(); o->keyword != nullptr; ++o) {
    if (std::string_view(o->keyword) == "application_name" && o->val && *o->val) has_app_name = true;
  }
  if (!has_app_name) {
    full = render(options, {{"application_name", std::string(application_name)}}, false);
  }
  try {
    return std::make_unique<pqxx::connection>(full);
  } catch (const std::exception& e) {
    throw ServerError(ExitCode::trouble,
                      fmt::format("cannot connect to {}: {}", mask_password(conninfo),
                                  trim_trailing_newlines(e.what())));
  }
}

std::string format_diagnostics(const ServerDiagnostics& d) {
  std::string out = fmt::format("{} {}: {}", d.severity.empty() ? "ERROR" : d.severity,
                                d.sqlstate, d.message);
  if (!d.detail.empty()) out += "\nDETAIL: " + d.detail;
  if (!d.hint.empty()) out += "\nHINT: " + d.hint;
  if (!d.context.empty()) out += "\nCONTEXT: " + d.context;
  return out;
}

Session::Session(const std::string& conninfo, std::string_view application_name) {
  ConninfoOptions options = parse_conninfo(conninfo);
  std::string full = render(options, {{"application_name", std::string(application_name)}}, false);
  conn_ = PQconnectdb(full.c_str());
  if (PQstatus(conn_) != CONNECTION_OK) {
    std::string message = trim_trailing_newlines(PQerrorMessage(conn_));
    PQfinish(conn_);
    conn_ = nullptr;
    throw ServerError(ExitCode::trouble,
                      fmt::format("cannot connect to {}: {}", mask_password(conninfo), message));
  }
  // Notices (e.g. "table does not exist, skipping") are the migrations' business, not ours.
  PQsetNoticeProcessor(conn_, [](void*, const char*) {}, nullptr);
}

Session::~Session() {
  if (conn_ != nullptr) PQfinish(conn_);
}

namespace {

std::string field(const PGresult* r, int code) {
  const char* v = PQresultErrorField(r, code);
  return v ? std::string(v) : std::string();
}

[[noreturn]] void throw_exec_error(PGconn* conn, PGresult* r, const std::string& sql, ExitCode code) {
  ServerDiagnostics d;
  if (r != nullptr) {
    d.severity = field(r, PG_DIAG_SEVERITY);
    d.sqlstate = field(r, PG_DIAG_SQLSTATE);
    d.message = field(r, PG_DIAG_MESSAGE_PRIMARY);
    d.detail = field(r, PG_DIAG_MESSAGE_DETAIL);
    d.hint = field(r, PG_DIAG_MESSAGE_HINT);
    d.context = field(r, PG_DIAG_CONTEXT);
    std::string pos = field(r, PG_DIAG_STATEMENT_POSITION);
    if (!pos.empty()) d.position = std::atoi(pos.c_str());
  }
  if (d.message.empty()) d.message = trim_trailing_newlines(PQerrorMessage(conn));
  if (r != nullptr) PQclear(r);
  ExitCode effective = PQstatus(conn) == CONNECTION_OK ? code : ExitCode::trouble;
  // The message first: the order in which arguments are evaluated is unspecified, and `d` is
  // moved into the exception.
  std::string message = format_diagnostics(d);
  throw ExecError(effective, message, std::move(d), sql);
}

}  // namespace

void Session::exec(const std::string& sql, ExitCode on_error) {
  // PQexec runs several statements in one implicit transaction unless the text has its own
  // BEGIN/COMMIT; callers that need statement-level control split first.
  send(sql, nullptr, on_error);
}

void Session::copy_in(const std::string& sql, std::string_view rows, ExitCode on_error) {
  if (!send(sql, &rows, on_error)) {
    throw ServerError(ExitCode::trouble, fmt::format("the server took no COPY rows for: {}", sql), "", sql);
  }
}

// Sends `sql` and reads every result, the first error kept for the exception. A COPY FROM STDIN
// gets `rows` (or is ended without rows, with a message, when there are none to give); COPY TO
// STDOUT output is read and dropped. Returns whether rows were sent.
bool Session::send(const std::string& sql, const std::string_view* rows, ExitCode on_error) {
  if (PQsendQuery(conn_, sql.c_str()) == 0) throw_exec_error(conn_, nullptr, sql, on_error);
  PGresult* failed = nullptr;
  bool rows_sent = false;
  while (PGresult* r = PQgetResult(conn_)) {
    const ExecStatusType st = PQresultStatus(r);
    if (st == PGRES_COPY_IN && rows != nullptr && !rows_sent) {
      PQclear(r);
      // In pieces: libpq copies what it is given into its output buffer before sending it.
      constexpr size_t kPiece = size_t{1} << 20;
      bool sent = true;
      for (size_t at = 0; sent && at < rows->size(); at += kPiece) {
        const size_t n = std::min(kPiece, rows->size() - at);
        sent = PQputCopyData(conn_, rows->data() + at, static_cast<int>(n)) == 1;
      }
      // A row the server refused is reported by the PQgetResult after the end.
      if (!sent || PQputCopyEnd(conn_, nullptr) != 1) throw_exec_error(conn_, nullptr, sql, ExitCode::trouble);
      rows_sent = true;
      continue;
    }
    if (st == PGRES_FATAL_ERROR || st == PGRES_BAD_RESPONSE || st == PGRES_NONFATAL_ERROR) {
      if (failed == nullptr) {
        failed = r;
        continue;
      }
    } else if (st == PGRES_COPY_IN) {
      PQputCopyEnd(conn_, "COPY FROM STDIN was sent without its rows (schemakit sends rows with Session::copy_in)");
    } else if (st == PGRES_COPY_OUT) {
      char* buffer = nullptr;
      while (PQgetCopyData(conn_, &buffer, 0) > 0) PQfreemem(buffer);
    }
    PQclear(r);
  }
  if (failed != nullptr) throw_exec_error(conn_, failed, sql, on_error);
  if (PQstatus(conn_) != CONNECTION_OK) throw_exec_error(conn_, nullptr, sql, ExitCode::trouble);
  return rows_sent;
}

std::vector<Session::Row> Session::query(const std::string& sql, ExitCode on_error) {
  PGresult* r = PQexec(conn_, sql.c_str());
  ExecStatusType st = PQresultStatus(r);
  if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) throw_exec_error(conn_, r, sql, on_error);
  std::vector<Row> rows;
  int n = PQntuples(r), m = PQnfields(r);
  rows.reserve(n);
  for (int i = 0; i < n; ++i) {
    Row row;
    row.reserve(m);
    for (int j = 0; j < m; ++j) {
      if (PQgetisnull(r, i, j)) {
        row.emplace_back(std::nullopt);
      } else {
        row.emplace_back(std::string(PQgetvalue(r, i, j), PQgetlength(r, i, j)));
      }
    }
    rows.push_back(std::move(row));
  }
  PQclear(r);
  return rows;
}

bool Session::in_transaction() const {
  PGTransactionStatusType s = PQtransactionStatus(conn_);
  return s == PQTRANS_INTRANS || s == PQTRANS_INERROR;
}

int Session::server_version() const { return PQserverVersion(conn_); }

}  // namespace schemakit::pg
