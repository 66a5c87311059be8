// One test per core kind proving that each attribute is read: change exactly that thing in the
// database, introspect again, and the object's attributes must differ in exactly the expected
// names (and nowhere else on that object).
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "catalog_test_helpers.hpp"

namespace schemakit::testing {
namespace {

using catalog::Kind;
using catalog::ObjectId;

struct Mutation {
  std::string sql;
  std::set<std::string> changed;  // attribute names expected to differ on the object
  ObjectId target{};              // defaults to the test's object
};

std::set<std::string> changed_attributes(const catalog::Object* before, const catalog::Object* after) {
  std::set<std::string> out;
  if (before == nullptr || after == nullptr) return {"<object missing>"};
  std::set<std::string> names;
  for (const auto& [k, v] : before->attributes) names.insert(k);
  for (const auto& [k, v] : after->attributes) names.insert(k);
  for (const auto& name : names) {
    if (before->has(name) != after->has(name) || before->attr(name) != after->attr(name)) out.insert(name);
  }
  return out;
}

class CoreAttributes : public ServerTest {
 protected:
  catalog::Catalog read() { return introspect::introspect(conninfo(), introspect::IntrospectOptions{}); }

  // Applies `setup`, then each mutation in turn, checking the attributes that changed.
  void check(const std::string& setup, const ObjectId& object, const std::vector<Mutation>& mutations) {
    exec(setup);
    catalog::Catalog before = read();
    ASSERT_NE(before.find(object), nullptr) << "no " << catalog::display_name(object) << " in\n" << catalog_text(before);
    for (const auto& mutation : mutations) {
      const ObjectId target = mutation.target.name.empty() ? object : mutation.target;
      const catalog::Object* old_object = before.find(target);
      ASSERT_NE(old_object, nullptr) << catalog::display_name(target);
      const std::string old_text = object_text(*old_object);
      exec(mutation.sql);
      catalog::Catalog after = read();
      const catalog::Object* new_object = after.find(target);
      EXPECT_EQ(changed_attributes(old_object, new_object), mutation.changed)
          << mutation.sql << "\nbefore:\n" << old_text << "after:\n"
          << (new_object ? object_text(*new_object) : std::string("<missing>"));
      before = std::move(after);
    }
  }
};

constexpr const char* kRoles =
    "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'core_owner') THEN "
    "CREATE ROLE core_owner; END IF; END $$;";

TEST_F(CoreAttributes, Schema) {
  check(std::string(kRoles) + "CREATE SCHEMA s;", {Kind::schema, "", "", "s", ""},
        {{"ALTER SCHEMA s OWNER TO core_owner", {"owner"}},
         {"GRANT USAGE ON SCHEMA s TO PUBLIC", {"privileges"}},
         {"COMMENT ON SCHEMA s IS 'x'", {"comment"}}});
}

TEST_F(CoreAttributes, Extension) {
  check("CREATE SCHEMA other; CREATE EXTENSION citext VERSION '1.5'", {Kind::extension, "", "", "citext", ""},
        {{"ALTER EXTENSION citext UPDATE TO '1.6'", {"version"}},
         {"ALTER EXTENSION citext SET SCHEMA other", {"schema"}},
         {"COMMENT ON EXTENSION citext IS 'x'", {"comment"}}});
}

// public is part of every new database: its owner, grants and comment are read like any
// schema's. ALTER ... OWNER TO moves the old owner's grants to the new one.
TEST_F(CoreAttributes, PublicSchema) {
  check(kRoles, {Kind::schema, "", "", "public", ""},
        {{"ALTER SCHEMA public OWNER TO core_owner", {"owner", "privileges"}},
         {"GRANT CREATE ON SCHEMA public TO PUBLIC", {"privileges"}},
         {"COMMENT ON SCHEMA public IS NULL", {"comment"}}});
}

// A public schema made again has no ACL; its privileges are read as the owner's defaults written
// out, which is what GRANT and REVOKE leave when they bring a new database's public to the same.
TEST_F(CoreAttributes, PublicSchemaMadeAgainHasItsDefaultPrivilegesWrittenOut) {
  exec("DROP SCHEMA public; CREATE SCHEMA public");
  const auto catalog = read();
  const auto* schema = catalog.find({Kind::schema, "", "", "public", ""});
  ASSERT_NE(schema, nullptr);
  const std::string user = scalar("SELECT current_user").value_or("");
  EXPECT_EQ(schema->attr("privileges"), "{" + user + "=UC/" + user + "}");
}

// Privileges of extension members, one attribute per member whose ACL differs from what CREATE
// EXTENSION left; back to that, the attribute goes.
TEST_F(CoreAttributes, ExtensionMemberPrivileges) {
  const std::string member = "privileges.member:FUNCTION public.gen_salt(text)";
  check(std::string(kRoles) + "CREATE EXTENSION pgcrypto", {Kind::extension, "", "", "pgcrypto", ""},
        {{"GRANT EXECUTE ON FUNCTION gen_salt(text) TO core_owner", {member}},
         {"REVOKE EXECUTE ON FUNCTION gen_salt(text) FROM PUBLIC", {member}},
         {"GRANT EXECUTE ON FUNCTION gen_salt(text) TO PUBLIC; REVOKE EXECUTE ON FUNCTION gen_salt(text) FROM core_owner",
          {member}},
         {"GRANT USAGE ON SCHEMA public TO core_owner", {}}});
  const auto catalog = read();
  EXPECT_FALSE(catalog.find({Kind::extension, "", "", "pgcrypto", ""})->has(member));
}

// An ACL as the reader writes it: items in the order the server stores them (grant order).
std::string acl_of(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ",") + item;
  return "{" + out + "}";
}

TEST_F(CoreAttributes, ExtensionMemberPrivilegesValue) {
  exec(std::string(kRoles) + "CREATE EXTENSION pgcrypto; GRANT EXECUTE ON FUNCTION gen_salt(text) TO core_owner");
  const std::string user = scalar("SELECT current_user").value_or("");
  const auto catalog = read();
  const auto* extension = catalog.find({Kind::extension, "", "", "pgcrypto", ""});
  ASSERT_NE(extension, nullptr);
  EXPECT_EQ(extension->attr("privileges.member:FUNCTION public.gen_salt(text)"),
            acl_of({"=X/" + user, user + "=X/" + user, "core_owner=X/" + user}) +
                " (after CREATE EXTENSION: " + acl_of({"=X/" + user, user + "=X/" + user}) + ")");
}

// Members of other kinds; the start of a member whose extension script set its privileges is
// its pg_init_privs entry, not the default.
TEST_F(CoreAttributes, ExtensionMemberPrivilegesOfOtherKinds) {
  exec(std::string(kRoles) + "CREATE EXTENSION citext; CREATE EXTENSION postgres_fdw; CREATE EXTENSION pg_stat_statements");
  auto before = read();
  exec("REVOKE USAGE ON TYPE citext FROM PUBLIC; GRANT USAGE ON FOREIGN DATA WRAPPER postgres_fdw TO core_owner;"
       "GRANT EXECUTE ON FUNCTION pg_stat_statements_reset(oid, oid, bigint) TO core_owner");
  auto after = read();
  const std::string user = scalar("SELECT current_user").value_or("");
  auto changed = [&](const std::string& extension) {
    return changed_attributes(before.find({Kind::extension, "", "", extension, ""}),
                              after.find({Kind::extension, "", "", extension, ""}));
  };
  EXPECT_EQ(changed("citext"), std::set<std::string>{"privileges.member:TYPE public.citext"});
  EXPECT_EQ(changed("postgres_fdw"), std::set<std::string>{"privileges.member:FOREIGN DATA WRAPPER postgres_fdw"});
  const std::string reset = "privileges.member:FUNCTION public.pg_stat_statements_reset(userid oid, dbid oid, queryid bigint)";
  EXPECT_EQ(changed("pg_stat_statements"), std::set<std::string>{reset});
  EXPECT_EQ(after.find({Kind::extension, "", "", "pg_stat_statements", ""})->attr(reset),
            acl_of({user + "=X/" + user, "core_owner=X/" + user}) + " (after CREATE EXTENSION: " +
                acl_of({user + "=X/" + user}) + ")");
}

// plpgsql is made by initdb and left out, until the privileges on its language change: then it
// is modelled, marked as part of every new database.
TEST_F(CoreAttributes, BuiltInExtensionOnlyWithChangedMemberPrivileges) {
  EXPECT_EQ(read().find({Kind::extension, "", "", "plpgsql", ""}), nullptr);
  exec("REVOKE USAGE ON LANGUAGE plpgsql FROM PUBLIC");
  const auto catalog = read();
  const auto* plpgsql = catalog.find({Kind::extension, "", "", "plpgsql", ""});
  ASSERT_NE(plpgsql, nullptr);
  EXPECT_EQ(plpgsql->attr("start_state"), "true");
  EXPECT_TRUE(plpgsql->has("privileges.member:LANGUAGE plpgsql")) << object_text(*plpgsql);
}

TEST_F(CoreAttributes, Collation) {
  const std::string recreate = "DROP COLLATION c; CREATE COLLATION c ";
  check(std::string(kRoles) + "CREATE COLLATION c (provider = libc, locale = 'C')", {Kind::collation, "public", "", "c", ""},
        {{recreate + "(provider = libc, lc_collate = 'C', lc_ctype = 'POSIX')", {"lc_ctype"}},
         {recreate + "(provider = libc, lc_collate = 'POSIX', lc_ctype = 'POSIX')", {"lc_collate"}},
         {recreate + "(provider = icu, locale = 'und')", {"provider", "locale", "lc_collate", "lc_ctype"}},
         {recreate + "(provider = icu, locale = 'de')", {"locale"}},
         {recreate + "(provider = icu, locale = 'de', deterministic = false)", {"nondeterministic"}},
         {"ALTER COLLATION c OWNER TO core_owner", {"owner"}},
         {"COMMENT ON COLLATION c IS 'x'", {"comment"}}});
}

TEST_F(CoreAttributes, Enum) {
  check(std::string(kRoles) + "CREATE TYPE e AS ENUM ('a', 'b')", {Kind::enum_type, "public", "", "e", ""},
        {{"ALTER TYPE e ADD VALUE 'c' BEFORE 'a'", {"labels"}},
         {"ALTER TYPE e RENAME VALUE 'b' TO 'it''s'", {"labels"}},
         {"ALTER TYPE e OWNER TO core_owner", {"owner"}},
         {"REVOKE USAGE ON TYPE e FROM PUBLIC", {"privileges"}},
         {"COMMENT ON TYPE e IS 'x'", {"comment"}}});
}

TEST_F(CoreAttributes, Domain) {
  check(std::string(kRoles) + "CREATE DOMAIN d AS integer CONSTRAINT pos CHECK (VALUE > 0)",
        {Kind::domain, "public", "", "d", ""},
        {{"ALTER DOMAIN d SET DEFAULT 5", {"default"}},
         {"ALTER DOMAIN d SET NOT NULL", {"not_null"}},
         {"ALTER DOMAIN d ADD CONSTRAINT small CHECK (VALUE < 100) NOT VALID", {"check.small"}},
         {"ALTER DOMAIN d VALIDATE CONSTRAINT small", {"check.small"}},
         {"ALTER DOMAIN d RENAME CONSTRAINT pos TO positive", {"check.pos", "check.positive"}},
         {"DROP DOMAIN d; CREATE DOMAIN d AS bigint CONSTRAINT positive CHECK (VALUE > 0) "
          "CONSTRAINT small CHECK (VALUE < 100) DEFAULT 5 NOT NULL",
          {"type"}},
         {"ALTER DOMAIN d OWNER TO core_owner", {"owner"}},
         {"REVOKE USAGE ON DOMAIN d FROM PUBLIC", {"privileges"}},
         {"COMMENT ON DOMAIN d IS 'x'", {"comment"}},
         {"CREATE DOMAIN t AS text", {}},
         {"DROP DOMAIN t; CREATE DOMAIN t AS text COLLATE \"C\"", {"collation"}, {Kind::domain, "public", "", "t", ""}}});
}

TEST_F(CoreAttributes, CompositeType) {
  check(std::string(kRoles) + "CREATE TYPE c AS (a integer)", {Kind::composite_type, "public", "", "c", ""},
        {{"ALTER TYPE c ADD ATTRIBUTE b text", {"fields"}},
         {"ALTER TYPE c ALTER ATTRIBUTE b TYPE varchar(10)", {"fields"}},
         {"ALTER TYPE c ALTER ATTRIBUTE b TYPE text COLLATE \"C\"", {"fields"}},
         {"ALTER TYPE c RENAME ATTRIBUTE a TO \"A\"", {"fields"}},
         {"ALTER TYPE c OWNER TO core_owner", {"owner"}},
         {"COMMENT ON TYPE c IS 'x'", {"comment"}}});
}

TEST_F(CoreAttributes, RangeType) {
  const std::string recreate = "DROP TYPE r; CREATE TYPE r AS RANGE ";
  check(std::string(kRoles) + "CREATE TYPE r AS RANGE (subtype = float8)", {Kind::range_type, "public", "", "r", ""},
        {{recreate + "(subtype = numeric)", {"subtype"}},
         {recreate + "(subtype = float8, subtype_diff = float8mi)", {"subtype", "subtype_diff"}},
         {recreate + "(subtype = text, collation = \"C\")", {"subtype", "subtype_diff", "collation"}},
         {recreate + "(subtype = text, collation = \"C\", subtype_opclass = text_pattern_ops)", {"subtype_opclass"}},
         {recreate + "(subtype = text, collation = \"C\", subtype_opclass = text_pattern_ops, "
                     "multirange_type_name = many_r)",
          {"multirange"}},
         {"ALTER TYPE r OWNER TO core_owner", {"owner"}},
         {"COMMENT ON TYPE r IS 'x'", {"comment"}}});
}

TEST_F(CoreAttributes, Sequence) {
  check(std::string(kRoles) + "CREATE SEQUENCE s; CREATE TABLE t (id bigint); ALTER TABLE t OWNER TO core_owner",
        {Kind::sequence, "public", "", "s", ""},
        {{"ALTER SEQUENCE s AS integer", {"type", "max"}},
         {"ALTER SEQUENCE s START WITH 7", {"start"}},
         {"ALTER SEQUENCE s INCREMENT BY 2", {"increment"}},
         {"ALTER SEQUENCE s MINVALUE 0", {"min"}},
         {"ALTER SEQUENCE s MAXVALUE 1000", {"max"}},
         {"ALTER SEQUENCE s CACHE 10", {"cache"}},
         {"ALTER SEQUENCE s CYCLE", {"cycle"}},
         {"ALTER SEQUENCE s OWNER TO core_owner", {"owner"}},
         {"ALTER SEQUENCE s OWNED BY t.id", {"owned_by"}},
         {"ALTER SEQUENCE s SET UNLOGGED", {"unlogged"}},
         // With CACHE 10 the relation records the end of the cached range, as pg_dump reads it.
         {"SELECT nextval('s')", {"data.is_called", "data.last_value"}},
         {"SELECT nextval('s')", {"data.last_value"}},
         {"SELECT setval('s', 20, false)", {"data.last_value", "data.is_called"}},
         {"GRANT USAGE ON SEQUENCE s TO PUBLIC", {"privileges"}},
         {"COMMENT ON SEQUENCE s IS 'x'", {"comment"}}});
}

TEST_F(CoreAttributes, Table) {
  check(std::string(kRoles) +
            "CREATE TABLE t (id int NOT NULL, at date NOT NULL, note text); CREATE TABLE p (id int); "
            "CREATE TABLE q (id int); CREATE TABLE parted (at date) PARTITION BY RANGE (at);",
        {Kind::table, "public", "", "t", ""},
        {{"ALTER TABLE t SET UNLOGGED", {"unlogged"}},
         {"ALTER TABLE t SET (fillfactor = 50)", {"options"}},
         {"ALTER TABLE t SET (toast.autovacuum_enabled = false)", {"options"}},
         {"ALTER TABLE t ENABLE ROW LEVEL SECURITY", {"row_security"}},
         {"ALTER TABLE t FORCE ROW LEVEL SECURITY", {"force_row_security"}},
         {"ALTER TABLE t REPLICA IDENTITY FULL", {"replica_identity"}},
         {"ALTER TABLE t INHERIT q", {"inherits"}},
         {"ALTER TABLE t INHERIT p", {"inherits"}},
         {"ALTER TABLE t NO INHERIT p", {"inherits"}},
         {"ALTER TABLE t OWNER TO core_owner", {"owner"}},
         {"GRANT SELECT ON t TO PUBLIC", {"privileges"}},
         {"COMMENT ON TABLE t IS 'x'", {"comment"}},
         {"CREATE TABLE part PARTITION OF parted FOR VALUES FROM ('2020-01-01') TO ('2021-01-01')",
          {},
          {Kind::table, "public", "", "parted", ""}},
         {"ALTER TABLE parted DETACH PARTITION part; "
          "ALTER TABLE parted ATTACH PARTITION part FOR VALUES FROM ('2019-01-01') TO ('2021-01-01')",
          {"partition_bound"},
          {Kind::table, "public", "", "part", ""}},
         {"ALTER TABLE parted DETACH PARTITION part", {"partition_bound", "partition_of"}, {Kind::table, "public", "", "part", ""}},
         {"DROP TABLE part; DROP TABLE parted; CREATE TABLE parted (at date) PARTITION BY LIST (at)",
          {"partition_key"},
          {Kind::table, "public", "", "parted", ""}}});
}

TEST_F(CoreAttributes, Column) {
  const ObjectId c{Kind::column, "public", "t", "c", ""};
  check(std::string(kRoles) + "CREATE TABLE t (a int, b int, c text); CREATE TABLE parent (c text);", c,
        {{"ALTER TABLE t DROP COLUMN b", {"position"}},
         {"ALTER TABLE t ALTER COLUMN c TYPE varchar(20)", {"type"}},
         {"ALTER TABLE t ALTER COLUMN c TYPE varchar(20) COLLATE \"C\"", {"collation"}},
         {"ALTER TABLE t ALTER COLUMN c SET DEFAULT 'x'", {"default"}},
         {"ALTER TABLE t ALTER COLUMN c SET NOT NULL", {"not_null"}},
         {"ALTER TABLE t ALTER COLUMN c SET STATISTICS 50", {"statistics"}},
         {"ALTER TABLE t ALTER COLUMN c SET STORAGE MAIN", {"storage"}},
         {"ALTER TABLE t ALTER COLUMN c SET COMPRESSION lz4", {"compression"}},
         {"ALTER TABLE t ALTER COLUMN c SET (n_distinct = 5)", {"options"}},
         {"GRANT SELECT (c) ON t TO PUBLIC", {"privileges"}},
         {"COMMENT ON COLUMN t.c IS 'x'", {"comment"}},
         {"ALTER TABLE t ALTER COLUMN c TYPE text COLLATE \"default\"; ALTER TABLE t INHERIT parent",
          // A new type brings that type's storage and no compression setting.
          {"type", "collation", "inherited", "storage", "compression"}},
         {"ALTER TABLE t ALTER COLUMN a SET NOT NULL; ALTER TABLE t ALTER COLUMN a ADD GENERATED BY DEFAULT AS IDENTITY",
          {"identity", "identity.sequence", "identity.type", "identity.start", "identity.increment", "identity.min",
           "identity.max", "identity.cache", "data.last_value", "data.is_called", "not_null"},
          {Kind::column, "public", "t", "a", ""}},
         {"ALTER TABLE t ALTER COLUMN a SET GENERATED ALWAYS", {"identity"}, {Kind::column, "public", "t", "a", ""}},
         {"ALTER TABLE t ALTER COLUMN a SET INCREMENT BY 3", {"identity.increment"}, {Kind::column, "public", "t", "a", ""}},
         {"SELECT nextval(pg_get_serial_sequence('t', 'a'))", {"data.is_called"}, {Kind::column, "public", "t", "a", ""}},
         {"CREATE TABLE g (x int, y int GENERATED ALWAYS AS (x * 2) STORED)", {}, {Kind::column, "public", "t", "a", ""}},
         {"ALTER TABLE g ALTER COLUMN y DROP EXPRESSION", {"generated"}, {Kind::column, "public", "g", "y", ""}},
         {"CREATE TABLE child () INHERITS (parent)", {}, {Kind::column, "public", "parent", "c", ""}},
         {"ALTER TABLE child ALTER COLUMN c SET DEFAULT 'child'", {"default"}, {Kind::column, "public", "child", "c", ""}}});
}

TEST_F(CoreAttributes, InheritedOnlyColumnIsNotLocal) {
  exec("CREATE TABLE parent (c text); CREATE TABLE child (d int) INHERITS (parent)");
  auto catalog = read();
  const auto* c = catalog.find({Kind::column, "public", "child", "c", ""});
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->attr(catalog::attr::column_not_local), "true");
  EXPECT_EQ(c->attr(catalog::attr::column_inherited), "true");
}

TEST_F(CoreAttributes, Constraint) {
  const ObjectId fk{Kind::constraint, "public", "child", "fk", ""};
  check("CREATE TABLE parent (id int PRIMARY KEY, k int UNIQUE); CREATE TABLE other (id int PRIMARY KEY);"
        "CREATE TABLE child (id int, pid int, CONSTRAINT fk FOREIGN KEY (pid) REFERENCES parent);",
        fk,
        {{"ALTER TABLE child ALTER CONSTRAINT fk DEFERRABLE INITIALLY DEFERRED", {"definition"}},
         {"ALTER TABLE child DROP CONSTRAINT fk; ALTER TABLE child ADD CONSTRAINT fk FOREIGN KEY (pid) "
          "REFERENCES other ON DELETE CASCADE NOT VALID",
          {"definition", "references"}},
         {"ALTER TABLE child VALIDATE CONSTRAINT fk", {"definition"}},
         {"COMMENT ON CONSTRAINT fk ON child IS 'x'", {"comment"}},
         {"ALTER TABLE child DROP CONSTRAINT fk; ALTER TABLE child ADD CONSTRAINT fk CHECK (pid > 0)",
          {"definition", "references", "comment", "type"}},
         {"CLUSTER parent USING parent_pkey", {"clustered"}, {Kind::constraint, "public", "parent", "parent_pkey", ""}},
         {"ALTER TABLE parent ALTER COLUMN k SET NOT NULL; ALTER TABLE parent REPLICA IDENTITY USING INDEX parent_k_key",
          {"replica_identity"},
          {Kind::constraint, "public", "parent", "parent_k_key", ""}},
         {"CREATE TABLE parted (id int, at int, PRIMARY KEY (id, at)) PARTITION BY RANGE (at); "
          "CREATE TABLE part (id int NOT NULL, at int NOT NULL); ALTER TABLE part ADD CONSTRAINT part_pkey PRIMARY KEY (id, at)",
          {},
          {Kind::constraint, "public", "parent", "parent_k_key", ""}},
         {"ALTER TABLE parted ATTACH PARTITION part FOR VALUES FROM (0) TO (10)",
          {"attached_to", "inherited"},
          {Kind::constraint, "public", "part", "part_pkey", ""}}});
}

TEST_F(CoreAttributes, Index) {
  const ObjectId i{Kind::index, "public", "t", "i", ""};
  check("CREATE TABLE t (a int NOT NULL, b text); CREATE INDEX i ON t (a);", i,
        {{"DROP INDEX i; CREATE UNIQUE INDEX i ON t (a DESC) INCLUDE (b) WHERE a > 0", {"definition"}},
         {"DROP INDEX i; CREATE UNIQUE INDEX i ON t (a)", {"definition"}},
         {"CLUSTER t USING i", {"clustered"}},
         {"ALTER TABLE t REPLICA IDENTITY USING INDEX i", {"replica_identity"}},
         {"COMMENT ON INDEX i IS 'x'", {"comment"}},
         {"CREATE INDEX e ON t (lower(b), (a + 1)); ALTER INDEX e ALTER COLUMN 2 SET STATISTICS 500", {}},
         {"ALTER INDEX e ALTER COLUMN 1 SET STATISTICS 50", {"statistics"}, {Kind::index, "public", "t", "e", ""}},
         {"CREATE TABLE parted (a int) PARTITION BY RANGE (a); "
          "CREATE TABLE part PARTITION OF parted FOR VALUES FROM (0) TO (10); CREATE INDEX pi ON ONLY parted (a); "
          "CREATE INDEX part_i ON part (a)",
          {}},
         {"ALTER INDEX pi ATTACH PARTITION part_i", {"attached_to"}, {Kind::index, "public", "part", "part_i", ""}}});
}

TEST_F(CoreAttributes, IndexOnPartitionedTableIsOnlyAndInvalidIndexIsUnsupported) {
  exec("CREATE TABLE parted (a int) PARTITION BY RANGE (a); CREATE INDEX pi ON parted (a);"
       "CREATE TABLE t (a int); INSERT INTO t VALUES (1), (1);");
  // A failed CREATE UNIQUE INDEX CONCURRENTLY leaves an invalid index behind.
  try {
    exec("CREATE UNIQUE INDEX CONCURRENTLY broken ON t (a)");
  } catch (...) {
  }
  auto catalog = read();
  const auto* pi = catalog.find({Kind::index, "public", "parted", "pi", ""});
  ASSERT_NE(pi, nullptr);
  EXPECT_NE(pi->attr(catalog::attr::definition).find("ON ONLY public.parted"), std::string::npos);
  EXPECT_EQ(catalog.find({Kind::index, "public", "t", "broken", ""}), nullptr);
  ASSERT_EQ(catalog.unsupported.size(), 1u) << catalog_text(catalog);
  EXPECT_EQ(catalog.unsupported[0].kind, "invalid index");
  EXPECT_EQ(catalog.unsupported[0].identity, "public.broken");
}

// A typed table names its composite type (of_type) and depends on it; its columns are read as
// any table's.
TEST_F(CoreAttributes, TypedTablesNameTheirType) {
  exec("CREATE TYPE pair AS (a int); CREATE TABLE typed OF pair (a WITH OPTIONS NOT NULL);");
  auto catalog = read();
  EXPECT_TRUE(catalog.unsupported.empty());
  const auto* table = catalog.find({Kind::table, "public", "", "typed", ""});
  ASSERT_NE(table, nullptr);
  EXPECT_EQ(table->attr("of_type"), "public.pair");
  EXPECT_NE(std::find(table->depends_on.begin(), table->depends_on.end(),
                      ObjectId{Kind::composite_type, "public", "", "pair", ""}),
            table->depends_on.end());
  const auto* column = catalog.find({Kind::column, "public", "typed", "a", ""});
  ASSERT_NE(column, nullptr);
  EXPECT_EQ(column->attr("not_null"), "true");
}

TEST_F(CoreAttributes, ExtensionMembersAndSystemSchemasAreLeftOut) {
  exec("CREATE EXTENSION citext; CREATE TABLE t (e citext)");
  auto catalog = read();
  for (const auto& o : catalog.objects) {
    EXPECT_NE(o.id.schema, "pg_catalog");
    EXPECT_NE(o.id.schema, "information_schema");
  }
  // The column's type comes from the extension, so the table depends on the extension.
  const auto* column = catalog.find({Kind::column, "public", "t", "e", ""});
  ASSERT_NE(column, nullptr);
  EXPECT_EQ(column->depends_on, (std::vector<ObjectId>{{Kind::extension, "", "", "citext", ""}}));
  EXPECT_EQ(catalog.counts()[Kind::domain], 0u);
  EXPECT_EQ(catalog.counts()[Kind::function], 0u);
}

TEST_F(CoreAttributes, OwnershipPrivilegesAndCommentsCanBeSwitchedOff) {
  exec(std::string(kRoles) + "CREATE TABLE t (c int); ALTER TABLE t OWNER TO core_owner; GRANT SELECT ON t TO PUBLIC;"
       "GRANT UPDATE (c) ON t TO PUBLIC; COMMENT ON TABLE t IS 'x'; COMMENT ON COLUMN t.c IS 'y';"
       "CREATE SEQUENCE s; SELECT nextval('s');");
  introspect::IntrospectOptions options;
  options.ownership = options.privileges = options.comments = options.sequence_positions = false;
  auto catalog = introspect::introspect(conninfo(), options);
  for (const auto& o : catalog.objects) {
    EXPECT_FALSE(o.has(catalog::attr::owner)) << object_text(o);
    EXPECT_FALSE(o.has(catalog::attr::privileges)) << object_text(o);
    EXPECT_FALSE(o.has(catalog::attr::comment) && o.id.name != "public") << object_text(o);
    EXPECT_FALSE(o.has(catalog::attr::sequence_last_value)) << object_text(o);
  }
}

}  // namespace
}  // namespace schemakit::testing
