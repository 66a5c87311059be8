#pragma once
// Connections: turning what a user typed into a libpq conninfo, connecting with errors that say
// where and why, and never showing a password.
#include <libpq-fe.h>

#include <map>
#include <memory>
#include <optional>
#include <pqxx/connection>
#include <string>
#include <string_view>
#include <vector>

#include "common/error.hpp"

namespace schemakit::pg {

// A database name, a conninfo string ("host=... dbname=...") or a postgresql:// URI, completed
// with DB_HOST / DB_PORT / DB_USER where neither the target nor the PG* variables say.
std::string resolve_conninfo(std::string_view target);

// The same conninfo with the password replaced by "********", for messages and logs.
std::string mask_password(std::string_view conninfo);

// `conninfo` with its database replaced (the scratch databases live beside the given one).
std::string with_dbname(std::string_view conninfo, std::string_view dbname);

// Quotes a value for a conninfo string ('...' with \ and ' escaped).
std::string quote_conninfo_value(std::string_view value);

// Connects with pqxx; failures become ServerError(trouble) naming the masked target.
std::unique_ptr<pqxx::connection> connect(const std::string& conninfo,
                                          std::string_view application_name);

// Turns a pqxx/libpq failure into a ServerError carrying SQLSTATE and the server's message,
// prefixed with what we were doing.
[[noreturn]] void rethrow_as_server_error(std::string_view doing, ExitCode code = ExitCode::trouble);

// A server error with every diagnostic field libpq gives; used where pqxx hides them (replay
// needs the error position to report file:line).
struct ServerDiagnostics {
  std::string severity;
  std::string sqlstate;
  std::string message;
  std::string detail;
  std::string hint;
  std::string context;
  int position = 0;  // 1-based character offset in the statement, 0 if unknown
};

class ExecError : public ServerError {
 public:
  ExecError(ExitCode code, const std::string& what, ServerDiagnostics diagnostics,
            std::string query)
      : ServerError(code, what, diagnostics.sqlstate, std::move(query)),
        diagnostics_(std::move(diagnostics)) {}
  const ServerDiagnostics& diagnostics() const noexcept { return diagnostics_; }

 private:
  ServerDiagnostics diagnostics_;
};

// A plain libpq session for running SQL text exactly as written (replay, applying up.sql) with
// full diagnostics on failure. Rows come back as text, NULL as nullopt.
class Session {
 public:
  using Row = std::vector<std::optional<std::string>>;

  Session(const std::string& conninfo, std::string_view application_name);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // Runs one or more statements; throws ExecError (code `on_error`) on failure.
  void exec(const std::string& sql, ExitCode on_error = ExitCode::trouble);
  // Runs one COPY ... FROM STDIN statement and sends `rows` as its data with the copy protocol,
  // as psql does; throws ExecError (code `on_error`) when the server refuses the statement or a
  // row (the CONTEXT then names the row: "COPY t, line 3, column b: ...").
  void copy_in(const std::string& sql, std::string_view rows, ExitCode on_error = ExitCode::trouble);
  // Runs one query and returns its rows.
  std::vector<Row> query(const std::string& sql, ExitCode on_error = ExitCode::trouble);
  // True when the session is inside a transaction block (BEGIN without COMMIT yet).
  bool in_transaction() const;
  int server_version() const;
  PGconn* raw() const noexcept { return conn_; }

 private:
  bool send(const std::string& sql, const std::string_view* rows, ExitCode on_error);
  PGconn* conn_ = nullptr;
};

// "ERROR 42P01: relation "x" does not exist" plus detail/hint lines when present.
std::string format_diagnostics(const ServerDiagnostics& d);

}  // namespace schemakit::pg
