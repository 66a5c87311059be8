// ddl::privilege_statements against the server itself: random histories of GRANT and REVOKE
// (by the owner and by roles holding a grant option, to roles and PUBLIC, with and without grant
// options, the owner revoking and regaining its rights) leave an ACL on one object; the statements
// written for that ACL, run on a fresh object of the same kind, must leave the same ACL item for
// item and in the same order, since pg_dump prints grants in ACL order.
#include <gtest/gtest.h>

#include <fmt/core.h>

#include <random>
#include <string>
#include <vector>

#include "catalog/model.hpp"
#include "common/error.hpp"
#include "ddl/privileges.hpp"
#include "pg/connection.hpp"
#include "support/server_fixture.hpp"

using namespace schemakit;
using catalog::Kind;
using schemakit::testing::ServerTest;

namespace {

const char* kRoles =
    "DO $$ BEGIN "
    "IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'order_r1') THEN CREATE ROLE order_r1; END IF; "
    "IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'order_r2') THEN CREATE ROLE order_r2; END IF; "
    "IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'order_r3') THEN CREATE ROLE order_r3; END IF; "
    "END $$;";

// One kind of object: how to make it, how GRANT names it, its privileges, how to read its ACL.
struct Subject {
  Kind kind;
  std::string create;   // {} is the object's name
  std::string target;   // as GRANT names it; {} is the object's name
  std::vector<std::string> privileges;
  std::string acl_sql;  // {} is the object's name; the ACL as text, NULL for the defaults
  std::string column;   // column privileges of this column (kind column)
};

std::string with_name(std::string text, const std::string& name) {
  for (size_t at = text.find("{}"); at != std::string::npos; at = text.find("{}", at)) text.replace(at, 2, name);
  return text;
}

const std::vector<Subject>& subjects() {
  static const std::vector<Subject> all = {
      {Kind::table, "CREATE TABLE {} (c int)", "TABLE {}",
       {"SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER"},
       "SELECT relacl::text FROM pg_class WHERE relname = '{}'", ""},
      {Kind::function, "CREATE FUNCTION {}() RETURNS int LANGUAGE sql AS 'SELECT 1'", "FUNCTION {}()", {"EXECUTE"},
       "SELECT proacl::text FROM pg_proc WHERE proname = '{}'", ""},
      {Kind::schema, "CREATE SCHEMA {}", "SCHEMA {}", {"USAGE", "CREATE"},
       "SELECT nspacl::text FROM pg_namespace WHERE nspname = '{}'", ""},
      {Kind::sequence, "CREATE SEQUENCE {}", "SEQUENCE {}", {"USAGE", "SELECT", "UPDATE"},
       "SELECT relacl::text FROM pg_class WHERE relname = '{}'", ""},
      {Kind::enum_type, "CREATE TYPE {} AS ENUM ('a')", "TYPE {}", {"USAGE"},
       "SELECT typacl::text FROM pg_type WHERE typname = '{}'", ""},
      {Kind::column, "CREATE TABLE {} (c int)", "TABLE {}", {"SELECT", "INSERT", "UPDATE", "REFERENCES"},
       "SELECT attacl::text FROM pg_attribute WHERE attrelid = '{}'::regclass AND attname = 'c'", "c"},
  };
  return all;
}

// A random statement of the object's history. Some fail (a role without the grant option it
// needs) or change nothing: that is part of the history too.
std::string random_statement(std::mt19937& random, const Subject& subject, const std::string& target) {
  auto pick = [&](const std::vector<std::string>& from) { return from[random() % from.size()]; };
  const std::vector<std::string> grantees = {"order_r1", "order_r2", "order_r3", "PUBLIC"};
  std::string privileges = pick(subject.privileges);
  if (const std::string more = pick(subject.privileges); random() % 3 == 0 && more != privileges) {
    privileges += ", " + more;
  }
  if (!subject.column.empty()) {
    std::string on_column;
    for (size_t start = 0; start <= privileges.size();) {
      size_t end = privileges.find(", ", start);
      if (end == std::string::npos) end = privileges.size();
      on_column += (on_column.empty() ? "" : ", ") + privileges.substr(start, end - start) + " (c)";
      start = end + 2;
    }
    privileges = on_column;
  }
  switch (random() % 7) {
    case 0:
    case 1:
      return "GRANT " + privileges + " ON " + target + " TO " + pick(grantees);
    case 2:
      return "GRANT " + privileges + " ON " + target + " TO " + pick({"order_r1", "order_r2"}) + " WITH GRANT OPTION";
    case 3:
      return "REVOKE " + privileges + " ON " + target + " FROM " + pick(grantees) + " CASCADE";
    case 4:
      return "SET ROLE " + pick({"order_r1", "order_r2"}) + "; GRANT " + privileges + " ON " + target + " TO " +
             pick(grantees) + "; RESET ROLE";
    case 5:
      return subject.column.empty() ? "REVOKE ALL ON " + target + " FROM CURRENT_USER"
                                    : "REVOKE " + privileges + " ON " + target + " FROM CURRENT_USER";
    default:
      return subject.column.empty() ? "GRANT ALL ON " + target + " TO CURRENT_USER"
                                    : "GRANT " + privileges + " ON " + target + " TO CURRENT_USER";
  }
}

class PrivilegeOrder : public ServerTest {};

TEST_F(PrivilegeOrder, StatementsRebuildRandomHistoriesItemForItem) {
  exec(kRoles);
  pg::Session session(conninfo(), "privilege order test");
  const std::string owner = *scalar("SELECT current_user");
  const int server_version = session.server_version();
  std::mt19937 random(20261121);  // fixed: a failure reproduces
  int compared = 0, non_trivial = 0;
  for (size_t s = 0; s < subjects().size(); ++s) {
    const Subject& subject = subjects()[s];
    for (int history = 0; history < 40; ++history) {
      const std::string replayed = "replayed_" + std::to_string(s) + "_" + std::to_string(history);
      const std::string rebuilt = "rebuilt_" + std::to_string(s) + "_" + std::to_string(history);
      session.exec(with_name(subject.create, replayed));
      std::string statements;
      for (int step = 0, steps = 1 + static_cast<int>(random() % 8); step < steps; ++step) {
        const std::string sql = random_statement(random, subject, with_name(subject.target, replayed));
        statements += sql + ";\n";
        try {
          session.exec(sql);
        } catch (const Error&) {
          session.exec("RESET ROLE");
        }
      }
      const auto read_acl = [&](const std::string& name) {
        auto rows = session.query(with_name(subject.acl_sql, name));
        return rows.empty() || !rows[0][0] ? std::string() : *rows[0][0];
      };
      const std::string acl = read_acl(replayed);
      session.exec(with_name(subject.create, rebuilt));
      const std::string written =
          ddl::privilege_statements(with_name(subject.target, rebuilt), subject.kind, owner, acl, server_version,
                                    subject.column);
      SCOPED_TRACE("history:\n" + statements + "ACL: " + acl + "\nwritten:\n" + written);
      ASSERT_NO_THROW(session.exec(written.empty() ? "SELECT 1" : written));
      EXPECT_EQ(read_acl(rebuilt), acl);
      ++compared;
      if (acl.find(',') != std::string::npos) ++non_trivial;
    }
  }
  EXPECT_EQ(compared, 240);
  EXPECT_GT(non_trivial, 100) << "the histories should leave lists of several items";
}

// Default privileges (pg_default_acl) are lists too, printed by pg_dump in their order: for all
// schemas they start from the built-in privileges of the object type, in one schema from none.
TEST_F(PrivilegeOrder, DefaultPrivilegesRebuildRandomHistoriesItemForItem) {
  exec(kRoles);
  exec("CREATE SCHEMA order_s");
  pg::Session session(conninfo(), "privilege order test");
  const std::string owner = *scalar("SELECT current_user");
  const int server_version = session.server_version();
  struct Type {
    std::string name;  // ON <name>
    Kind builtin;
    char code;  // pg_default_acl.defaclobjtype
    std::vector<std::string> privileges;
  };
  const std::vector<Type> types = {{"TABLES", Kind::table, 'r', {"SELECT", "INSERT", "UPDATE", "DELETE"}},
                                   {"FUNCTIONS", Kind::function, 'f', {"EXECUTE"}},
                                   {"TYPES", Kind::domain, 'T', {"USAGE"}}};
  const std::vector<std::string> grantees = {"order_r1", "order_r2", "order_r3", "PUBLIC"};
  std::mt19937 random(1121);
  int compared = 0;
  for (const Type& type : types) {
    for (const bool in_schema : {false, true}) {
      const std::string head = std::string("ALTER DEFAULT PRIVILEGES ") + (in_schema ? "IN SCHEMA order_s " : "");
      const std::string read = fmt::format(
          "SELECT defaclacl::text FROM pg_default_acl WHERE defaclrole = current_user::regrole AND "
          "defaclobjtype = '{}' AND defaclnamespace = {}",
          type.code, in_schema ? "'order_s'::regnamespace" : "0");
      // Back to no entry: what each history starts from.
      const std::string reset =
          head + "REVOKE ALL ON " + type.name + " FROM order_r1, order_r2, order_r3, PUBLIC, CURRENT_USER;" +
          (in_schema ? "" : head + "GRANT ALL ON " + type.name + " TO CURRENT_USER;" +
                                (type.builtin == Kind::table ? "" : head + "GRANT ALL ON " + type.name + " TO PUBLIC;"));
      for (int history = 0; history < 25; ++history) {
        session.exec(reset);
        std::string statements;
        for (int step = 0, steps = 1 + static_cast<int>(random() % 6); step < steps; ++step) {
          const std::string privilege = type.privileges[random() % type.privileges.size()];
          const std::string grantee = random() % 3 == 0 ? "CURRENT_USER" : grantees[random() % grantees.size()];
          const std::string sql = head + (random() % 3 == 0 ? "REVOKE " + privilege + " ON " + type.name + " FROM "
                                                             : "GRANT " + privilege + " ON " + type.name + " TO ") +
                                  grantee;
          statements += sql + ";\n";
          session.exec(sql);
        }
        const auto acl_now = [&] {
          auto rows = session.query(read);
          return rows.empty() || !rows[0][0] ? std::string() : *rows[0][0];
        };
        const std::string acl = acl_now();
        session.exec(reset);
        std::string written;
        for (const std::string& line : [&] {
               std::vector<std::string> lines;
               const std::string text = ddl::privilege_statements(type.name, type.builtin, in_schema ? "" : owner, acl,
                                                                  server_version);
               for (size_t at = 0; at < text.size();) {
                 const size_t end = text.find('\n', at);
                 lines.push_back(text.substr(at, end - at));
                 at = end + 1;
               }
               return lines;
             }()) {
          written += head + line + "\n";
        }
        SCOPED_TRACE("history:\n" + statements + "ACL: " + acl + "\nwritten:\n" + written);
        ASSERT_NO_THROW(session.exec(written.empty() ? "SELECT 1" : written));
        EXPECT_EQ(acl_now(), acl);
        ++compared;
      }
    }
  }
  EXPECT_EQ(compared, 150);
}

}  // namespace
