#include "squash/proof.hpp"

#include <algorithm>
#include <chrono>
#include <fmt/core.h>
#include <map>

#include "common/error.hpp"
#include "diff/diff.hpp"
#include "ddl/quote.hpp"
#include "diff/render.hpp"
#include "introspect/introspect.hpp"
#include "squash/databases.hpp"
#include "squash/lifecycle.hpp"
#include "squash/pg_dump.hpp"
#include "squash/scope.hpp"

namespace schemakit::squash {
namespace {

constexpr const char* kPassed = "passed";
constexpr const char* kFailed = "failed";
constexpr const char* kSkipped = "skipped";

class Recorder {
 public:
  explicit Recorder(const ProofSubject& subject) : subject_(subject) {}

  void passed(const std::string& name, const std::string& detail = {}) {
    result_.checks.push_back({name, kPassed, detail});
    log(fmt::format("proof: {} passed{}", name, detail.empty() ? "" : ": " + detail));
  }
  void skipped(const std::string& name, const std::string& why) {
    result_.checks.push_back({name, kSkipped, why});
    log(fmt::format("proof: {} skipped: {}", name, why));
  }
  // `summary` goes to squash.json; `full` (the whole diff) to stderr.
  void failed(const std::string& name, const std::string& summary, const std::string& full) {
    result_.checks.push_back({name, kFailed, summary});
    result_.failures += fmt::format("proof check '{}' failed: {}\n", name, summary);
    if (!full.empty()) {
      result_.failures += full;
      if (full.back() != '\n') result_.failures += '\n';
    }
    log(fmt::format("proof: {} FAILED: {}", name, summary));
  }
  ProofResult finish() {
    result_.passed = std::none_of(result_.checks.begin(), result_.checks.end(),
                                  [](const Check& c) { return c.result == kFailed; });
    return std::move(result_);
  }

 private:
  void log(const std::string& line) const {
    if (subject_.log) subject_.log(line);
  }
  const ProofSubject& subject_;
  ProofResult result_;
};

// Applies a generated script; its errors are located in the script ("up.sql:12:3: ERROR ...").
// Returns the error text, empty on success.
std::string apply_script(const std::string& conninfo, const std::string& sql, const std::string& name) {
  pg::Session session(conninfo, "schemakit squash proof");
  try {
    run_script_text(session, sql, name, ExitCode::no);
  } catch (const InputError& e) {
    return e.what();
  }
  return {};
}

std::string first_lines(const std::string& text, size_t count) {
  size_t pos = 0;
  for (size_t i = 0; i < count && pos != std::string::npos; ++i) {
    pos = text.find('\n', pos);
    if (pos != std::string::npos) ++pos;
  }
  if (pos == std::string::npos || pos >= text.size()) return text;
  return text.substr(0, pos) + "...\n";
}

void check_catalog(Recorder& record, const std::string& name, const catalog::Catalog& expected,
                   const catalog::Catalog& actual, const diff::DiffOptions& options,
                   const std::string& expected_name, const std::string& actual_name) {
  diff::ChangeSet changes = diff::compare(expected, actual, options);
  if (changes.identical()) {
    record.passed(name, fmt::format("{} objects equal", actual.objects.size()));
    return;
  }
  size_t count = changes.differences.size() + changes.unsupported_only_in_a.size() +
                 changes.unsupported_only_in_b.size();
  record.failed(name, fmt::format("{} difference{} between the {} and the {}", count,
                                  count == 1 ? "" : "s", expected_name, actual_name),
                diff::render_text(changes, {false, expected_name, actual_name}));
}

void check_data(Recorder& record, const DataSnapshot& replayed, const DataSnapshot& rebuilt) {
  std::vector<std::string> tables, sequences;
  for (auto& line : compare_data(replayed, rebuilt)) {
    (line.rfind("sequence ", 0) == 0 ? sequences : tables).push_back(std::move(line));
  }
  auto report = [&](const std::string& name, const std::vector<std::string>& problems,
                    const std::string& ok) {
    if (problems.empty()) {
      record.passed(name, ok);
      return;
    }
    std::string full;
    for (const auto& p : problems) full += "  " + p + "\n";
    record.failed(name, first_lines(full, 5), full);
  };
  long long rows = 0;
  for (const auto& t : replayed.tables) rows += t.rows;
  report("rows", tables, fmt::format("{} rows in {} tables equal", rows, replayed.tables.size()));
  report("sequences", sequences, fmt::format("{} sequence positions equal", replayed.sequences.size()));
}

// The roles of `renamed` (VALUES rows of old oid and name: the replayed roles, renamed away) and
// the roles that have their names now (the ones up.sql made), each in one line: the attributes
// up.sql writes (not the password, which it never writes), the roles it is a member of (a renamed
// one shown by its old name), its settings for every database and its comment.
std::string role_descriptions_sql(const std::string& renamed_values) {
  return "WITH renamed(oid, name) AS (VALUES " + renamed_values + "), "
         "shown(oid, name) AS (SELECT r.oid, COALESCE(n.name, r.rolname::pg_catalog.text) "
         "FROM pg_catalog.pg_roles r LEFT JOIN renamed n ON n.oid = r.oid) "
         "SELECT r.oid, pg_catalog.concat_ws(', ', "
         "CASE WHEN r.rolsuper THEN 'SUPERUSER' ELSE 'NOSUPERUSER' END, "
         "CASE WHEN r.rolinherit THEN 'INHERIT' ELSE 'NOINHERIT' END, "
         "CASE WHEN r.rolcreaterole THEN 'CREATEROLE' ELSE 'NOCREATEROLE' END, "
         "CASE WHEN r.rolcreatedb THEN 'CREATEDB' ELSE 'NOCREATEDB' END, "
         "CASE WHEN r.rolcanlogin THEN 'LOGIN' ELSE 'NOLOGIN' END, "
         "CASE WHEN r.rolreplication THEN 'REPLICATION' ELSE 'NOREPLICATION' END, "
         "CASE WHEN r.rolbypassrls THEN 'BYPASSRLS' ELSE 'NOBYPASSRLS' END, "
         "'CONNECTION LIMIT ' || r.rolconnlimit, 'VALID UNTIL ' || r.rolvaliduntil, "
         "'member of: ' || (SELECT pg_catalog.string_agg(s.name || CASE WHEN m.admin_option THEN ' WITH ADMIN OPTION' "
         "ELSE '' END, ' ' ORDER BY s.name) FROM (SELECT g.roleid, pg_catalog.bool_or(g.admin_option) AS admin_option "
         "FROM pg_catalog.pg_auth_members g WHERE g.member = r.oid GROUP BY g.roleid) m "
         "JOIN shown s ON s.oid = m.roleid), "
         // As a set: the server keeps them in the order they were first set.
         "'settings: ' || (SELECT pg_catalog.string_agg(pg_catalog.quote_literal(c.setting), ' ' ORDER BY c.setting) "
         "FROM pg_catalog.pg_db_role_setting d CROSS JOIN LATERAL pg_catalog.unnest(d.setconfig) AS c(setting) "
         "WHERE d.setrole = r.oid AND d.setdatabase = 0), "
         "'comment: ' || pg_catalog.shobj_description(r.oid, 'pg_authid')) "
         "FROM pg_catalog.pg_roles r WHERE r.oid IN (SELECT oid FROM renamed) "
         "OR r.rolname::pg_catalog.text IN (SELECT name FROM renamed)";
}

// up_again, where the migrations created roles. On this server the replay made them already, so
// up.sql, which makes a role only where it is missing, would make none of them here. So they are
// renamed away in one transaction, up.sql runs in it, and each role it made must be what the
// replayed one is (role_descriptions_sql); then the transaction is rolled back, the roles are
// back as they were, and the database as after down.sql (deferred constraints are checked
// before). A role up.sql leaves out, or makes differently, fails the check "roles".
void check_up_again_making_the_roles(Recorder& record, const ProofSubject& subject, const std::string& conninfo) {
  pg::Session session(conninfo, "schemakit squash proof");
  std::string names;
  for (const auto& name : subject.created_roles) names += (names.empty() ? "" : ", ") + ddl::quote_literal(name);
  session.exec("BEGIN");
  std::string renamed;  // VALUES rows: (old oid, name)
  for (const auto& row : session.query("SELECT oid::pg_catalog.text, rolname FROM pg_catalog.pg_roles WHERE "
                                       "rolname::pg_catalog.text = ANY (ARRAY[" + names + "]) ORDER BY rolname")) {
    session.exec("ALTER ROLE " + ddl::quote_ident(*row[1]) + " RENAME TO " +
                 ddl::quote_ident("schemakit_proof_hidden_" + *row[0]));
    renamed += fmt::format("{}({}::pg_catalog.oid, {})", renamed.empty() ? "" : ", ", *row[0],
                           ddl::quote_literal(*row[1]));
  }
  try {
    run_script_text(session, without_transaction_lines(subject.up_sql), "up.sql", ExitCode::no);
    session.exec("SET CONSTRAINTS ALL IMMEDIATE", ExitCode::no);
  } catch (const Error& e) {
    if (e.code() != ExitCode::no) throw;  // the server is gone, not a fault of up.sql
    session.exec("ROLLBACK");
    record.failed("up_again", "up.sql does not apply again after down.sql where the roles it makes are missing",
                  e.what());
    return;
  }
  record.passed("up_again");
  std::string problems;
  if (!renamed.empty()) {
    std::map<std::string, std::string> described;  // oid -> description
    for (const auto& row : session.query(role_descriptions_sql(renamed))) described[*row[0]] = row[1].value_or("");
    const std::string sql = "SELECT n.name, o.oid::pg_catalog.text, r.oid::pg_catalog.text FROM (VALUES " + renamed +
                            ") AS n(oid, name) JOIN pg_catalog.pg_roles o ON o.oid = n.oid "
                            "LEFT JOIN pg_catalog.pg_roles r ON r.rolname::pg_catalog.text = n.name ORDER BY 1";
    for (const auto& row : session.query(sql)) {
      const std::string& name = *row[0];
      if (!row[2]) {
        problems += fmt::format("  role {}: up.sql does not make it where it is missing\n", name);
      } else if (described[*row[1]] != described[*row[2]]) {
        problems += fmt::format("  role {}:\n    replayed:       {}\n    made by up.sql: {}\n", name,
                                described[*row[1]], described[*row[2]]);
      }
    }
  }
  session.exec("ROLLBACK");
  if (problems.empty()) {
    record.passed("roles", fmt::format("{} roles the migrations created made by up.sql where missing",
                                       subject.created_roles.size()));
  } else {
    record.failed("roles", "up.sql does not make the roles the migrations created as they were", problems);
  }
}

}  // namespace

ProofResult prove(const ProofSubject& subject) {
  Recorder record(subject);
  ClonedDatabase rebuilt(*subject.server, subject.base_database, "squash_proof");
  if (subject.prepare_start) subject.prepare_start(rebuilt.conninfo());

  if (std::string error = apply_script(rebuilt.conninfo(), subject.up_sql, "up.sql"); !error.empty()) {
    record.failed("up", "up.sql does not apply to a fresh database", error);
    return record.finish();
  }
  record.passed("up");

  catalog::Catalog rebuilt_full = read_catalog(rebuilt.conninfo(), subject.created_roles);
  catalog::Catalog rebuilt_part = migrations_part(rebuilt_full, *subject.base_catalog, subject.tracking);
  leave_out_roles(rebuilt_part, subject.setup_roles);
  diff::DiffOptions options;
  options.sequence_positions = subject.replayed_data != nullptr;
  check_catalog(record, "catalog", *subject.replayed, rebuilt_part, options, "replayed database",
                "database built by up.sql");

  if (subject.replayed_data != nullptr) {
    pg::Session session(rebuilt.conninfo(), "schemakit squash proof");
    check_data(record, *subject.replayed_data, snapshot_data(session, subject.base_relations));
  } else {
    record.skipped("rows", "--no-data");
    record.skipped("sequences", "--no-data");
  }

  const std::string bindir = subject.server->client_bindir();
  if (bindir.empty()) {
    record.skipped("pg_dump", "pg_dump is not installed (install postgresql-client or pass --pg-bindir)");
  } else {
    // The tracking table and everything on it (a column a migration added, grants ON ALL
    // TABLES) belong to the runner and are out of the output, as in the catalog check.
    std::vector<DumpedTable> excluded;
    if (subject.tracking) excluded.push_back({subject.tracking->schema, subject.tracking->name});
    const std::string a = normalize_pg_dump(pg_dump_schema(bindir, subject.replayed_conninfo, excluded));
    const std::string b = normalize_pg_dump(pg_dump_schema(bindir, rebuilt.conninfo(), excluded));
    if (a == b) {
      record.passed("pg_dump", "schema-only dumps identical");
    } else {
      record.failed("pg_dump", "pg_dump --schema-only differs (A: replayed database, B: built by up.sql)",
                    diff::unified_diff(a, b, "  ", false));
    }
  }

  if (std::string error = apply_script(rebuilt.conninfo(), subject.down_sql, "down.sql"); !error.empty()) {
    record.failed("down", "down.sql does not apply after up.sql", error);
    return record.finish();
  }
  // Roles are cluster-wide and down.sql never drops them: the roles the migrations made are
  // still there and are not a difference.
  catalog::Catalog after_down = read_catalog(rebuilt.conninfo(), subject.created_roles);
  std::erase_if(after_down.objects, [&](const catalog::Object& o) {
    return o.id.kind == catalog::Kind::role && subject.base_catalog->find(o.id) == nullptr &&
           subject.replayed->find(o.id) != nullptr;
  });
  check_catalog(record, "down", *subject.base_catalog, after_down, diff::DiffOptions{},
                "database before up.sql", "database after down.sql");

  if (!subject.created_roles.empty()) {
    check_up_again_making_the_roles(record, subject, rebuilt.conninfo());
  } else if (std::string error = apply_script(rebuilt.conninfo(), subject.up_sql, "up.sql"); !error.empty()) {
    record.failed("up_again", "up.sql does not apply again after down.sql", error);
  } else {
    record.passed("up_again");
  }
  return record.finish();
}

}  // namespace schemakit::squash
