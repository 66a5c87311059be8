// The sample history in schema/migrations: every up applies in order on a real server, the final
// schema has the shape the other tools' tests rely on, and the downs in reverse leave nothing.
// The folders are read directly (not through lib/migrations) so this test checks the sample, not
// the reader.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "pg/connection.hpp"
#include "support/server_fixture.hpp"
#include "support/test_paths.hpp"

namespace fs = std::filesystem;
using namespace schemakit;
using schemakit::testing::read_file;
using schemakit::testing::ServerTest;
using schemakit::testing::source_dir;

namespace {

struct SampleMigration {
  std::uint64_t version = 0;
  std::string version_text;
  fs::path folder;
};

// Hasura's layout: <version>_<name>/ with a numeric version; sorted by its value, not its spelling.
std::vector<SampleMigration> sample_migrations() {
  std::vector<SampleMigration> result;
  const fs::path root = source_dir() / "schema" / "migrations";
  for (const auto& entry : fs::directory_iterator(root)) {
    if (!entry.is_directory()) continue;
    const std::string name = entry.path().filename().string();
    const auto underscore = name.find('_');
    const std::string digits = name.substr(0, underscore);
    if (underscore == std::string::npos || digits.empty() ||
        !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      ADD_FAILURE() << entry.path() << ": folder name is not <version>_<name>";
      continue;
    }
    result.push_back({std::stoull(digits), digits, entry.path()});
  }
  std::sort(result.begin(), result.end(),
            [](const SampleMigration& a, const SampleMigration& b) { return a.version < b.version; });
  return result;
}

// Applies one file in its own transaction, as Hasura does; on failure the test stops with the file
// and the server's diagnostics.
void apply_file(pg::Session& session, const fs::path& file) {
  const std::string sql = read_file(file);
  try {
    session.exec("BEGIN");
    session.exec(sql);
    session.exec("COMMIT");
  } catch (const pg::ExecError& e) {
    if (session.in_transaction()) session.exec("ROLLBACK");
    FAIL() << file.string() << ": " << pg::format_diagnostics(e.diagnostics());
  }
}

// Objects a user could have created, in any schema that is not the system's own.
constexpr const char* kUserSchemas =
    "n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_toast%' "
    "AND n.nspname NOT LIKE 'pg\\_temp\\_%'";

class SampleHistoryTest : public ServerTest {
 protected:
  long count(const std::string& sql) const {
    auto value = scalar(sql);
    return value ? std::stol(*value) : -1;
  }
  long count_in_user_schemas(const std::string& from_catalog, const std::string& namespace_column,
                             const std::string& extra_condition = "true") const {
    return count("SELECT count(*) FROM " + from_catalog + " JOIN pg_namespace n ON n.oid = " +
                 namespace_column + " WHERE " + kUserSchemas + " AND " + extra_condition);
  }
};

TEST(SampleHistory, HasSeventeenMigrationsEachWithUpAndDown) {
  const auto migrations = sample_migrations();
  ASSERT_EQ(migrations.size(), 17u);
  for (std::size_t i = 0; i < migrations.size(); ++i) {
    const auto& m = migrations[i];
    SCOPED_TRACE(m.folder.string());
    EXPECT_EQ(m.version_text.size(), 13u) << "versions are millisecond timestamps";
    if (i > 0) {
      EXPECT_LT(migrations[i - 1].version, m.version) << "versions are unique";
    }
    ASSERT_TRUE(fs::is_regular_file(m.folder / "up.sql"));
    ASSERT_TRUE(fs::is_regular_file(m.folder / "down.sql"));
    EXPECT_NE(read_file(m.folder / "up.sql").find_first_not_of(" \t\r\n"), std::string::npos)
        << "up.sql is empty";
    EXPECT_NE(read_file(m.folder / "down.sql").find_first_not_of(" \t\r\n"), std::string::npos)
        << "down.sql is empty";
  }
}

TEST_F(SampleHistoryTest, UpsBuildTheLearningPlatformAndDownsLeaveAnEmptyDatabase) {
  const auto migrations = sample_migrations();
  ASSERT_FALSE(migrations.empty());
  pg::Session session(conninfo(), "sample-history-test");

  for (const auto& m : migrations) {
    ASSERT_NO_FATAL_FAILURE(apply_file(session, m.folder / "up.sql"));
  }

  const std::vector<std::string> expected_tables = {
      "attachments",      "knowledge_points",   "knowledge_points_metadata",
      "practice_answers", "practice_sessions",  "practice_strategies",
      "quizzes",          "student_mistakes",   "student_weaknesses",
      "users"};
  std::vector<std::string> tables;
  for (const auto& row : session.query(
           "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
           "WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY c.relname")) {
    tables.push_back(*row[0]);
  }
  EXPECT_EQ(tables, expected_tables);

  const long indexes = count("SELECT count(*) FROM pg_indexes WHERE schemaname = 'public'");
  EXPECT_GE(indexes, 35);
  std::cout << "[ figures  ] sample history: " << indexes << " indexes in pg_indexes\n";

  EXPECT_EQ(count_in_user_schemas("pg_proc p", "p.pronamespace",
                                  "p.prorettype = 'trigger'::regtype AND p.prolang = "
                                  "(SELECT oid FROM pg_language WHERE lanname = 'plpgsql')"),
            2);
  EXPECT_EQ(count_in_user_schemas("pg_proc p", "p.pronamespace"), 2) << "only the trigger functions";
  // Every table has exactly one user trigger, and each keeps updated_at current.
  EXPECT_EQ(count("SELECT count(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                  "JOIN pg_namespace n ON n.oid = c.relnamespace "
                  "WHERE NOT t.tgisinternal AND n.nspname = 'public'"),
            10);
  EXPECT_EQ(count("SELECT count(DISTINCT t.tgrelid) FROM pg_trigger t "
                  "JOIN pg_proc p ON p.oid = t.tgfoid "
                  "WHERE NOT t.tgisinternal AND p.prosrc LIKE '%NEW.updated_at := now()%'"),
            10);
  EXPECT_EQ(count("SELECT count(*) FROM pg_views WHERE schemaname = 'public'"), 1);
  EXPECT_EQ(scalar("SELECT viewname FROM pg_views WHERE schemaname = 'public'"),
            std::optional<std::string>("practice_statistics"));

  // The churn left the original names and the widened type behind.
  EXPECT_EQ(count("SELECT count(*) FROM information_schema.columns WHERE table_schema = 'public' "
                  "AND table_name = 'users' AND column_name IN ('display_name', 'nickname', "
                  "'legacy_login')"),
            1);
  EXPECT_EQ(scalar("SELECT data_type FROM information_schema.columns WHERE table_schema = 'public' "
                   "AND table_name = 'attachments' AND column_name = 'byte_size'"),
            std::optional<std::string>("bigint"));
  EXPECT_EQ(count("SELECT count(*) FROM pg_indexes WHERE schemaname = 'public' "
                  "AND indexname = 'attachments_owner_type_owner_id_idx'"),
            1);

  // Seed rows, with the values a consolidation must reproduce.
  EXPECT_EQ(scalar("SELECT string_agg(code, ',' ORDER BY id) FROM practice_strategies"),
            std::optional<std::string>(
                "sequential,random,spaced_repetition,weakness_focus,mistake_review"));
  EXPECT_EQ(scalar("SELECT code FROM practice_strategies WHERE is_default"),
            std::optional<std::string>("sequential"));
  EXPECT_EQ(scalar("SELECT role::text || ' ' || display_name FROM users "
                   "WHERE id = '00000000-0000-4000-8000-000000000000'"),
            std::optional<std::string>("anonymous Anonymous"));

  // The updated_at triggers fire (and the knowledge point one bumps the version too).
  exec("UPDATE users SET locale = 'en' WHERE id = '00000000-0000-4000-8000-000000000000'");
  EXPECT_EQ(scalar("SELECT updated_at > created_at FROM users "
                   "WHERE id = '00000000-0000-4000-8000-000000000000'"),
            std::optional<std::string>("t"));
  exec("INSERT INTO knowledge_points (code, title, subject, grade_level) "
       "VALUES ('MATH-7-ALG-01', 'Linear equations', 'math', 7)");
  exec("UPDATE knowledge_points SET title = 'Linear equations in one variable'");
  EXPECT_EQ(scalar("SELECT version FROM knowledge_points"), std::optional<std::string>("2"));
  exec("DELETE FROM knowledge_points");
  exec("UPDATE users SET locale = 'zh-CN' WHERE id = '00000000-0000-4000-8000-000000000000'");

  for (auto it = migrations.rbegin(); it != migrations.rend(); ++it) {
    ASSERT_NO_FATAL_FAILURE(apply_file(session, it->folder / "down.sql"));
  }

  EXPECT_EQ(count_in_user_schemas("pg_class c", "c.relnamespace"), 0) << "relations left";
  EXPECT_EQ(count_in_user_schemas("pg_type t", "t.typnamespace"), 0) << "types left";
  EXPECT_EQ(count_in_user_schemas("pg_proc p", "p.pronamespace"), 0) << "functions left";
  EXPECT_EQ(count_in_user_schemas("pg_constraint k", "k.connamespace"), 0) << "constraints left";
  EXPECT_EQ(count_in_user_schemas("pg_operator o", "o.oprnamespace"), 0) << "operators left";
  EXPECT_EQ(count("SELECT count(*) FROM pg_trigger"), 0) << "triggers left";
  EXPECT_EQ(count("SELECT count(*) FROM pg_views WHERE schemaname NOT IN "
                  "('pg_catalog', 'information_schema')"),
            0)
      << "views left";
  EXPECT_EQ(scalar("SELECT string_agg(nspname, ',' ORDER BY nspname) FROM pg_namespace n WHERE " +
                   std::string(kUserSchemas)),
            std::optional<std::string>("public"));
  EXPECT_EQ(scalar("SELECT string_agg(extname, ',' ORDER BY extname) FROM pg_extension"),
            std::optional<std::string>("plpgsql"));
}

}  // namespace
