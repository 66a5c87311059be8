// Flyway SQL callbacks: squash replays what `flyway migrate` runs on an empty database, in
// Flyway's order (validate, beforeMigrate, each migration between its each-migrate callbacks and
// in their transaction, afterVersioned before the repeatables, afterMigrateApplied, afterMigrate),
// records the callbacks in squash.json apart from the migrations, and archive leaves them alone.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "common/error.hpp"
#include "migrations/database_names.hpp"
#include "migrations/reader.hpp"
#include "squash/replay.hpp"
#include "support/server_fixture.hpp"
#include "support/test_paths.hpp"

namespace fs = std::filesystem;
using namespace schemakit;
using schemakit::testing::read_file;
using schemakit::testing::run_command;
using schemakit::testing::ServerTest;
using schemakit::testing::shell_quote;
using schemakit::testing::source_dir;
using schemakit::testing::TempDir;
using schemakit::testing::test_server;
using schemakit::testing::tool_path;
using schemakit::testing::write_file;

namespace {

const char* const kFixture = "tests/fixtures/realistic/flyway_callbacks";

class FlywayCallbacks : public ServerTest {
 protected:
  void file(const std::string& relative, const std::string& content) { write_file(dir.path() / relative, content); }

  squash::ReplayStats replay_folder(const fs::path& root, migrations::ReadOptions options = {}) {
    return squash::replay(migrations::read_history(root, options), conninfo(), {});
  }

  std::string replay_error(const fs::path& root) {
    try {
      replay_folder(root);
    } catch (const InputError& e) {
      return e.what();
    }
    ADD_FAILURE() << "replay of " << root << " did not fail";
    return {};
  }

  // The `what` column of the log table the callbacks and migrations below write, in order.
  std::string log() { return scalar("SELECT string_agg(what, ' ' ORDER BY id) FROM public.log").value_or(""); }

  // Every event migrate fires writes its name into public.log (beforeValidate makes the table),
  // and each migration its own.
  void write_logging_history() {
    file("beforeValidate.sql", "CREATE TABLE public.log (id int GENERATED ALWAYS AS IDENTITY, what text);\n"
                               "INSERT INTO public.log (what) VALUES ('beforeValidate');\n");
    for (const char* event : {"afterValidate", "beforeMigrate", "beforeEachMigrate", "afterEachMigrate", "afterVersioned",
                              "beforeRepeatables", "afterMigrateApplied", "afterMigrate"}) {
      file(std::string("callbacks/") + event + ".sql",
           std::string("INSERT INTO public.log (what) VALUES ('") + event + "');\n");
    }
    file("callbacks/afterMigrate__z_last.sql", "INSERT INTO public.log (what) VALUES ('afterMigrate__z_last');\n");
    file("callbacks/afterMigrate__a_first.sql", "INSERT INTO public.log (what) VALUES ('afterMigrate__a_first');\n");
    file("V1__one.sql", "INSERT INTO public.log (what) VALUES ('V1');\n");
    file("V1_10__ten.sql", "INSERT INTO public.log (what) VALUES ('V1.10');\n");
    file("V1_2__two.sql", "INSERT INTO public.log (what) VALUES ('V1.2');\n");
    file("R__b.sql", "INSERT INTO public.log (what) VALUES ('R__b');\n");
    file("R__a.sql", "INSERT INTO public.log (what) VALUES ('R__a');\n");
    file("callbacks/afterClean.sql", "INSERT INTO public.log (what) VALUES ('afterClean');\n");
    file("callbacks/afterMigrateError.sql", "INSERT INTO public.log (what) VALUES ('afterMigrateError');\n");
  }

  TempDir dir;
};

}  // namespace

// The realistic fixture: beforeMigrate makes an audit table and a role, beforeEachMigrate sets
// the search_path the later migrations rely on and, with afterEachMigrate, writes one row before
// and one after each migration (counting the tables of schema app at that moment), afterVersioned
// comes before the repeatable view, afterMigrate__grant_readonly grants on every table.
TEST_F(FlywayCallbacks, FixtureReplaysInFlywaysOrder) {
  squash::ReplayStats stats = replay_folder(source_dir() / kFixture);
  EXPECT_EQ(stats.migrations, 4u);
  EXPECT_EQ(stats.callbacks, 12u);  // beforeMigrate, 2 x 4 each-migrate, afterVersioned, 2 x afterMigrate
  EXPECT_EQ(scalar("SELECT string_agg(event || ':' || app_tables, ' ' ORDER BY id) FROM public.migration_audit"),
            "before:0 after:1 before:1 after:2 before:2 after:3 afterVersioned:3 before:3 after:3 afterMigrate:3");
  EXPECT_EQ(scalar("SELECT string_agg(c.relname, ',' ORDER BY c.relname) FROM pg_catalog.pg_class c "
                   "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'app' AND c.relkind IN "
                   "('r', 'v') AND has_table_privilege('flyway_callbacks_readonly', c.oid, 'SELECT')"),
            "customer_summary,customers,orders,products");
  // The migrations after V1 wrote unqualified names: beforeEachMigrate's search_path held for them.
  EXPECT_EQ(scalar("SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = 'public' AND tablename IN "
                   "('orders', 'products')"),
            "0");
}

// squash writes it, proves it, and lists the callbacks in squash.json apart from the migrations;
// afterClean.sql, which migrate never runs, is listed as ignored.
TEST(FlywayCallbacksSquash, FixtureSquashesProvesAndIsReported) {
  TempDir tmp;
  const fs::path out = tmp.path() / "out";
  std::string output;
  const int code = run_command("cd " + shell_quote(source_dir().string()) + " && " + shell_quote(tool_path("squash").string()) +
                                   " " + kFixture + " --output " + shell_quote(out.string()) + " --scratch-url " +
                                   shell_quote(test_server().admin_conninfo()),
                               &output);
  ASSERT_EQ(code, 0) << output;
  EXPECT_NE(output.find("  callbacks:   beforeMigrate.sql, beforeEachMigrate.sql, afterEachMigrate.sql, "
                        "callbacks/afterVersioned.sql, afterMigrate.sql, callbacks/afterMigrate__grant_readonly.sql "
                        "(run where flyway migrate runs them)\n"),
            std::string::npos)
      << output;
  EXPECT_NE(output.find("  ignored:     callbacks/afterClean.sql"), std::string::npos) << output;

  const nlohmann::json report = nlohmann::json::parse(read_file(out / "squash.json"));
  EXPECT_EQ(report["verification"]["result"], "proved");
  for (const auto& check : report["verification"]["checks"]) EXPECT_NE(check["result"], "failed") << check.dump();
  std::vector<std::string> migrations;
  for (const auto& m : report["migrations"]) migrations.push_back(m["name"].get<std::string>());
  EXPECT_EQ(migrations, (std::vector<std::string>{"schema", "orders", "products_and_seed", "customer_summary"}));
  EXPECT_EQ(report["count"], 4);
  std::vector<std::string> callbacks;
  for (const auto& c : report["callbacks"]) {
    callbacks.push_back(c["event"].get<std::string>() + " " + c["description"].get<std::string>() + " " +
                        c["files"][0]["path"].get<std::string>());
    ASSERT_EQ(c["files"].size(), 1u);
    EXPECT_EQ(c["files"][0]["sha256"].get<std::string>().size(), 64u);
  }
  EXPECT_EQ(callbacks, (std::vector<std::string>{"beforeMigrate  beforeMigrate.sql",
                                                 "beforeEachMigrate  beforeEachMigrate.sql",
                                                 "afterEachMigrate  afterEachMigrate.sql",
                                                 "afterVersioned  callbacks/afterVersioned.sql",
                                                 "afterMigrate  afterMigrate.sql",
                                                 "afterMigrate grant_readonly callbacks/afterMigrate__grant_readonly.sql"}));
  EXPECT_EQ(report["ignored_files"], nlohmann::json::array({"callbacks/afterClean.sql"}));

  // What the callbacks made is in up.sql like what the migrations made.
  const std::string up = read_file(out / "up.sql");
  EXPECT_NE(up.find("GRANT SELECT ON TABLE app.products TO flyway_callbacks_readonly;"), std::string::npos);
  EXPECT_NE(up.find("-- rows of public.migration_audit (10)"), std::string::npos);
}

TEST_F(FlywayCallbacks, EveryEventMigrateFiresRunsInFlywaysOrder) {
  write_logging_history();
  squash::ReplayStats stats = replay_folder(dir.path());
  EXPECT_EQ(stats.migrations, 5u);
  EXPECT_EQ(log(),
            "beforeValidate afterValidate beforeMigrate "
            "beforeEachMigrate V1 afterEachMigrate beforeEachMigrate V1.2 afterEachMigrate "
            "beforeEachMigrate V1.10 afterEachMigrate afterVersioned beforeRepeatables "
            "beforeEachMigrate R__a afterEachMigrate beforeEachMigrate R__b afterEachMigrate "
            "afterMigrateApplied afterMigrate afterMigrate__a_first afterMigrate__z_last");
}

// --through is Flyway's -target: the versioned migrations stop there, the repeatables and every
// callback around them still run.
TEST_F(FlywayCallbacks, ThroughRunsTheCallbacksAsMigratingToThatTarget) {
  write_logging_history();
  migrations::ReadOptions options;
  options.through_version = "1.2";
  replay_folder(dir.path(), options);
  EXPECT_EQ(log(),
            "beforeValidate afterValidate beforeMigrate "
            "beforeEachMigrate V1 afterEachMigrate beforeEachMigrate V1.2 afterEachMigrate "
            "afterVersioned beforeRepeatables "
            "beforeEachMigrate R__a afterEachMigrate beforeEachMigrate R__b afterEachMigrate "
            "afterMigrateApplied afterMigrate afterMigrate__a_first afterMigrate__z_last");
}

// Without repeatables afterVersioned comes after the last migration, and beforeRepeatables
// does not fire.
TEST_F(FlywayCallbacks, WithoutRepeatablesAfterVersionedComesLastAndBeforeRepeatablesNever) {
  write_logging_history();
  fs::remove(dir.path() / "R__a.sql");
  fs::remove(dir.path() / "R__b.sql");
  replay_folder(dir.path());
  EXPECT_EQ(log(),
            "beforeValidate afterValidate beforeMigrate "
            "beforeEachMigrate V1 afterEachMigrate beforeEachMigrate V1.2 afterEachMigrate "
            "beforeEachMigrate V1.10 afterEachMigrate afterVersioned "
            "afterMigrateApplied afterMigrate afterMigrate__a_first afterMigrate__z_last");
}

// Flyway fires the each-migrate events in the migration's transaction: a temporary table that
// beforeEachMigrate makes ON COMMIT DROP is still there for afterEachMigrate, and gone after.
// Other callbacks run in transactions of their own, from a fresh session.
TEST_F(FlywayCallbacks, EachMigrateCallbacksShareTheMigrationsTransaction) {
  file("beforeMigrate.sql", "CREATE TABLE public.seen (migration_tables int, same_transaction boolean);\n");
  file("beforeEachMigrate.sql", "CREATE TEMPORARY TABLE this_migration ON COMMIT DROP AS\n"
                                "SELECT pg_catalog.txid_current() AS tx;\n");
  file("afterEachMigrate.sql",
       "INSERT INTO public.seen\n"
       "SELECT (SELECT count(*) FROM pg_catalog.pg_tables WHERE tablename LIKE 'm%'), tx = pg_catalog.txid_current()\n"
       "FROM this_migration;\n");
  file("afterMigrate.sql", "INSERT INTO public.seen VALUES (-1, NULL);\n");
  file("V1__a.sql", "CREATE TABLE m1 (id int);\n");
  file("V2__b.sql", "CREATE TABLE m2 (id int);\n");
  replay_folder(dir.path());
  EXPECT_EQ(scalar("SELECT string_agg(migration_tables || ':' || coalesce(same_transaction::text, '-'), ' ') FROM "
                   "public.seen"),
            "1:true 2:true -1:-");
}

// A migration Flyway runs outside a transaction (here its .sql.conf, and CREATE INDEX
// CONCURRENTLY) runs with its each-migrate callbacks outside one too; an event callback that
// cannot run in a transaction (VACUUM) runs on its own as well.
TEST_F(FlywayCallbacks, NonTransactionalMigrationAndCallbackRunOutsideATransaction) {
  file("beforeMigrate.sql", "CREATE TABLE public.audit (what text);\n");
  file("beforeEachMigrate.sql", "INSERT INTO public.audit VALUES ('before');\n");
  file("afterEachMigrate.sql", "INSERT INTO public.audit VALUES ('after');\n");
  file("afterMigrate__vacuum.sql", "VACUUM ANALYZE public.items;\n");
  file("V1__items.sql", "CREATE TABLE items (id int);\n");
  file("V2__index.sql", "CREATE INDEX CONCURRENTLY items_id_idx ON items (id);\n");
  file("V2__index.sql.conf", "executeInTransaction=false\n");
  replay_folder(dir.path());
  EXPECT_EQ(scalar("SELECT count(*) FROM public.audit"), "4");
  EXPECT_EQ(scalar("SELECT count(*) FROM pg_catalog.pg_indexes WHERE indexname = 'items_id_idx'"), "1");
}

// The server gives no position for a missing relation in GRANT: the statement's start is the place.
TEST_F(FlywayCallbacks, CallbackErrorNamesItsFileLineAndColumn) {
  file("V1__a.sql", "CREATE TABLE a (id int);\n");
  file("callbacks/afterMigrate__grants.sql", "-- grants\nGRANT SELECT ON missing_table TO PUBLIC;\n");
  EXPECT_EQ(replay_error(dir.path()), (dir.path() / "callbacks/afterMigrate__grants.sql").string() +
                                          ":2:1: ERROR 42P01: relation \"missing_table\" does not exist");
}

// An each-migrate callback that fails fails its migration, which is rolled back with it.
TEST_F(FlywayCallbacks, EachMigrateCallbackErrorFailsTheMigration) {
  file("V1__a.sql", "CREATE TABLE a (id int);\n");
  file("afterEachMigrate.sql", "\n\nINSERT INTO nowhere VALUES (1);\n");
  EXPECT_EQ(replay_error(dir.path()),
            (dir.path() / "afterEachMigrate.sql").string() + ":3:13: ERROR 42P01: relation \"nowhere\" does not exist");
  EXPECT_EQ(scalar("SELECT count(*) FROM pg_catalog.pg_tables WHERE tablename = 'a'"), "0");
}

// archive moves the migrations a squash covered; the callbacks are not migrations and stay where
// Flyway finds them.
TEST(FlywayCallbacksArchive, ArchiveLeavesCallbackFilesInPlace) {
  TempDir tmp;
  const fs::path project = tmp.path() / "project";
  fs::create_directories(project);
  fs::copy(source_dir() / kFixture, project / "migrations", fs::copy_options::recursive);
  std::string output;
  ASSERT_EQ(run_command("cd " + shell_quote(project.string()) + " && " + shell_quote(tool_path("squash").string()) +
                            " migrations --output out --scratch-url " + shell_quote(test_server().admin_conninfo()),
                        &output),
            0)
      << output;
  ASSERT_EQ(run_command("cd " + shell_quote(project.string()) + " && " + shell_quote(tool_path("archive").string()) +
                            " archive --migrations migrations --covered-by out/squash.json",
                        &output),
            0)
      << output;
  std::vector<std::string> left;
  for (auto it = fs::recursive_directory_iterator(project / "migrations"); it != fs::recursive_directory_iterator(); ++it) {
    if (it->is_regular_file()) left.push_back(it->path().lexically_relative(project / "migrations").generic_string());
  }
  std::sort(left.begin(), left.end());
  EXPECT_EQ(left, (std::vector<std::string>{"afterEachMigrate.sql", "afterMigrate.sql", "beforeEachMigrate.sql",
                                            "beforeMigrate.sql", "callbacks/afterClean.sql",
                                            "callbacks/afterMigrate__grant_readonly.sql",
                                            "callbacks/afterVersioned.sql"}))
      << output;
  for (const char* moved : {"V1__schema.sql", "V2__orders.sql", "V3__products_and_seed.sql", "R__customer_summary.sql"}) {
    EXPECT_FALSE(fs::exists(project / "migrations" / moved)) << moved;
  }
}

// A callback that names the history's database acts on the replay database, as a migration's
// statement does; a second database name in a callback is refused before anything runs.
TEST_F(FlywayCallbacks, CallbackNamingTheDatabaseActsOnTheReplayDatabase) {
  file("V1__a.sql", "CREATE TABLE a (id int);\n");
  file("afterMigrate.sql", "COMMENT ON DATABASE myapp IS 'commented by a callback';\n");
  replay_folder(dir.path());
  EXPECT_EQ(scalar("SELECT pg_catalog.shobj_description(oid, 'pg_database') FROM pg_catalog.pg_database "
                   "WHERE datname = pg_catalog.current_database()"),
            "commented by a callback");
  file("V2__b.sql", "ALTER DATABASE otherdb SET work_mem = '8MB';\n");
  std::string error;
  try {
    migrations::find_history_database_names(migrations::read_history(dir.path()));
  } catch (const InputError& e) {
    error = e.what();
  }
  EXPECT_EQ(error.rfind((dir.path() / "afterMigrate.sql").string() + ":1:21: ", 0), 0u) << error;
  EXPECT_NE(error.find("names database \"myapp\", but " + (dir.path() / "V2__b.sql").string() + ":1:16 named \"otherdb\""),
            std::string::npos)
      << error;
}
