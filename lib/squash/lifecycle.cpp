#include "squash/lifecycle.hpp"

#include <fmt/core.h>
#include <fstream>
#include <sstream>

#include "common/error.hpp"
#include "diff/diff.hpp"
#include "diff/render.hpp"
#include "introspect/introspect.hpp"
#include "migrations/migration.hpp"
#include "pg/cluster.hpp"
#include "pg/connection.hpp"
#include "squash/databases.hpp"
#include "squash/replay.hpp"
#include "squash/report.hpp"
#include "squash/scope.hpp"

namespace fs = std::filesystem;

namespace schemakit::squash {
namespace {

std::string read_text(const fs::path& file) {
  std::error_code ec;
  if (!fs::is_regular_file(file, ec)) {
    throw IoError(fmt::format("{}: no such file (is {} a squash output directory?)",
                              file.generic_string(), file.parent_path().generic_string()));
  }
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in && !in.eof()) throw IoError(fmt::format("{}: cannot read", file.generic_string()));
  return text.str();
}

std::string display(const fs::path& out_dir, const char* name) {
  return (out_dir / name).generic_string();
}

// Class 42 "duplicate_*" SQLSTATEs: what CREATE says when the object is already there.
bool is_duplicate_object(const std::string& sqlstate) {
  return sqlstate == "42P07" || sqlstate == "42710" || sqlstate == "42P06" ||
         sqlstate == "42723" || sqlstate == "42701" || sqlstate == "42P16" || sqlstate == "42712";
}

// Runs `sql` (BEGIN/COMMIT lines blanked) inside the session's open transaction; errors are
// located in `name`.
void run_in_transaction(pg::Session& session, const std::string& sql, const std::string& name) {
  run_script_text(session, without_transaction_lines(sql), name, ExitCode::no);
}

}  // namespace

std::string without_transaction_lines(const std::string& script) {
  // Only the script's own first BEGIN; and last COMMIT; lines: a row value may hold a line that
  // reads "COMMIT;" too.
  std::string out = script;
  auto blank_line = [&](size_t at) {
    size_t end = out.find('\n', at);
    out.erase(at, (end == std::string::npos ? out.size() : end) - at);
  };
  size_t commit = out.rfind("\nCOMMIT;");
  if (commit != std::string::npos &&
      (commit + 8 == out.size() || out[commit + 8] == '\n')) {
    blank_line(commit + 1);
  }
  size_t begin = out.rfind("BEGIN;\n", 0) == 0 ? 0 : out.find("\nBEGIN;\n");
  if (begin != std::string::npos) blank_line(begin == 0 ? 0 : begin + 1);
  return out;
}

std::string apply(const LifecycleOptions& options, Console& console) {
  const std::string up = read_text(options.out_dir / "up.sql");
  const std::string down = options.force ? read_text(options.out_dir / "down.sql") : std::string();
  const std::string conninfo = pg::resolve_conninfo(options.db);
  pg::Session session(conninfo, "schemakit squash apply");
  session.exec("BEGIN");
  if (options.force) {
    console.step("running down.sql first (--force)");
    run_in_transaction(session, down, display(options.out_dir, "down.sql"));
  }
  console.step("running up.sql");
  try {
    run_in_transaction(session, up, display(options.out_dir, "up.sql"));
  } catch (const ScriptError& e) {
    if (is_duplicate_object(e.sqlstate()) && !options.force) {
      throw InputError(fmt::format(
          "refusing to apply: the schema's objects already exist in {} ({}); nothing was changed. "
          "--force runs down.sql first, in the same transaction",
          pg::mask_password(conninfo), e.what()));
    }
    throw InputError(fmt::format("{}; nothing was changed", e.what()));
  }
  session.exec("COMMIT");
  return fmt::format("applied {}{} to {}\n", display(options.out_dir, "up.sql"),
                     options.force ? " (after down.sql, --force)" : "", pg::mask_password(conninfo));
}

std::string rollback(const LifecycleOptions& options, Console& console) {
  const std::string down = read_text(options.out_dir / "down.sql");
  const std::string conninfo = pg::resolve_conninfo(options.db);
  pg::Session session(conninfo, "schemakit squash rollback");
  console.step("running down.sql");
  session.exec("BEGIN");
  try {
    run_in_transaction(session, down, display(options.out_dir, "down.sql"));
  } catch (const InputError& e) {
    throw InputError(fmt::format("{}; nothing was changed", e.what()));
  }
  session.exec("COMMIT");
  return fmt::format("rolled back {} with {}\n", pg::mask_password(conninfo),
                     display(options.out_dir, "down.sql"));
}

VerifyOutcome verify(const LifecycleOptions& options, Console& console) {
  const std::string up = read_text(options.out_dir / "up.sql");
  const Report report = report_from_json(read_text(options.out_dir / "squash.json"),
                                         display(options.out_dir, "squash.json"));
  const auto layout = migrations::layout_from_string(report.format);
  if (!layout) {
    throw InputError(fmt::format("{}: unknown format '{}'", display(options.out_dir, "squash.json"),
                                 report.format));
  }
  for (const auto& file : options.setup_files) {
    std::error_code ec;
    if (!fs::is_regular_file(file, ec)) {
      throw IoError(fmt::format("--setup {}: no such file", file.generic_string()));
    }
  }
  const std::string live_conninfo = pg::resolve_conninfo(options.db);
  { pg::Session probe(live_conninfo, "schemakit squash verify"); }  // fail early, with the reason

  pg::ClusterOptions cluster_options;
  cluster_options.bindir = options.pg_bindir;
  cluster_options.verbose = console.verbose();
  auto server = pg::ScratchServer::open(options.scratch_url, cluster_options);
  pg::ScratchDatabase base(*server, "squash_verify_base");
  const std::set<std::string> roles_before = role_names(base.conninfo());
  run_setup_scripts(base.conninfo(), options.setup_files);
  std::set<std::string> setup_roles;
  for (const auto& name : role_names(base.conninfo())) {
    if (!roles_before.count(name)) setup_roles.insert(name);
  }
  {
    pg::Session session(base.conninfo(), "schemakit squash verify");
    create_tracking_table(session, *layout);
  }
  // The base holds none of the migrations' roles: a role of the list that the scratch server has
  // already must not count as the base's, which would leave it out of the comparison.
  const catalog::Catalog base_catalog = read_catalog(base.conninfo(), {});
  ClonedDatabase built(*server, base.name(), "squash_verify");
  {
    pg::Session session(built.conninfo(), "schemakit squash verify");
    console.step("building up.sql in a scratch database");
    run_script_text(session, up, display(options.out_dir, "up.sql"), ExitCode::no);
  }
  const auto tracking = tracking_table(*layout);
  console.step("reading both catalogs");
  catalog::Catalog expected =
      migrations_part(read_catalog(built.conninfo(), report.created_roles), base_catalog, tracking);
  catalog::Catalog live = migrations_part(read_catalog(live_conninfo, report.created_roles), base_catalog, tracking);
  leave_out_roles(expected, setup_roles);
  leave_out_roles(live, setup_roles);
  diff::ChangeSet changes = diff::compare(live, expected, diff::DiffOptions{});
  VerifyOutcome outcome;
  outcome.identical = changes.identical();
  outcome.report = diff::render_text(
      changes, {options.color, pg::mask_password(live_conninfo), display(options.out_dir, "up.sql")});
  return outcome;
}

}  // namespace schemakit::squash
