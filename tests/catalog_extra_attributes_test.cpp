// Every attribute the catalog-extra readers model is read: for each one, a database is set up,
// introspected, changed in exactly that respect, and introspected again; the attribute must
// move from the first value to the second. Plus what must be left out (extension members,
// internal objects, partition clones, bootstrap and predefined roles) and what must be reported
// as unsupported.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "catalog/attributes.hpp"
#include "catalog/model.hpp"
#include "introspect/introspect.hpp"
#include "pg/cluster.hpp"
#include "pg/connection.hpp"
#include "support/server_fixture.hpp"

namespace {

using schemakit::catalog::Catalog;
using schemakit::catalog::Kind;
using schemakit::catalog::Object;
using schemakit::catalog::ObjectId;
using schemakit::introspect::IntrospectOptions;

ObjectId in_schema(Kind kind, const char* schema, const char* name, const char* signature = "") {
  return {kind, schema, "", name, signature};
}
ObjectId on_table(Kind kind, const char* schema, const char* table, const char* name) {
  return {kind, schema, table, name, ""};
}
ObjectId global(Kind kind, const char* name, const char* table = "") { return {kind, "", table, name, ""}; }

// Roles are shared by the whole server: made only when missing, so that tests may share them and
// run again on a server that keeps them.
std::string roles(std::initializer_list<const char*> names) {
  std::string sql;
  for (const char* name : names) {
    sql += std::string("DO $r$BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '") + name +
           "') THEN CREATE ROLE \"" + name + "\"; END IF; END$r$;\n";
  }
  return sql;
}

const char* const kBase =
    "CREATE SCHEMA app;\n"
    "CREATE TABLE app.t (id integer PRIMARY KEY, v text, k integer);\n";

// The value an attribute must have: absent, exactly some text, some text inside it ("~..."), or
// anything at all ("*").
using Expected = std::optional<std::string>;

void expect_value(const Expected& expected, const Object* object, const std::string& attribute, const char* when) {
  ASSERT_NE(object, nullptr) << when;
  if (!expected) {
    EXPECT_FALSE(object->has(attribute)) << when << ": " << attribute << " = " << object->attr(attribute);
    return;
  }
  ASSERT_TRUE(object->has(attribute)) << when << ": " << attribute << " is absent";
  const std::string& value = object->attr(attribute);
  if (*expected == "*") return;
  if (!expected->empty() && expected->front() == '~') {
    EXPECT_NE(value.find(expected->substr(1)), std::string::npos) << when << ": " << attribute << " = " << value;
  } else {
    EXPECT_EQ(value, *expected) << when << ": " << attribute;
  }
}

struct AttributeCase {
  std::string name;
  std::string setup;
  ObjectId id;
  const char* attribute;
  Expected before;
  std::string change;
  Expected after;
};

// Creating a database costs far more than one case, so the cases of one suite share a database
// and each case leaves it empty again (objects per case are named so that nothing else matches).
class ExtraAttribute : public ::testing::TestWithParam<AttributeCase> {
 protected:
  static void SetUpTestSuite() {
    database_ = std::make_unique<schemakit::pg::ScratchDatabase>(schemakit::testing::test_server(), "xattr");
    session_ = std::make_unique<schemakit::pg::Session>(database_->conninfo(), "schemakit-test");
    reader_ = schemakit::pg::connect(database_->conninfo(), "schemakit-test");
  }
  static void TearDownTestSuite() {
    reader_.reset();
    session_.reset();
    database_.reset();
  }
  void TearDown() override { exec(kCleanUp); }

  static void exec(const std::string& sql) { session_->exec(sql); }
  static Catalog read() { return schemakit::introspect::introspect(*reader_, {}); }

  // Removes whatever a case made: global objects first, then every user schema with what is in
  // it, settings, default privileges of the test roles, large objects, the database's owner,
  // comment, connection limit and privileges.
  static constexpr const char* kCleanUp = R"sql(
DO $clean$
DECLARE r record;
BEGIN
  FOR r IN SELECT evtname FROM pg_event_trigger LOOP EXECUTE format('DROP EVENT TRIGGER %I', r.evtname); END LOOP;
  FOR r IN SELECT pubname FROM pg_publication LOOP EXECUTE format('DROP PUBLICATION %I', r.pubname); END LOOP;
  FOR r IN SELECT extname FROM pg_extension WHERE extname <> 'plpgsql' LOOP
    EXECUTE format('DROP EXTENSION %I CASCADE', r.extname);
  END LOOP;
  FOR r IN SELECT srvname FROM pg_foreign_server LOOP EXECUTE format('DROP SERVER %I CASCADE', r.srvname); END LOOP;
  FOR r IN SELECT fdwname FROM pg_foreign_data_wrapper LOOP
    EXECUTE format('DROP FOREIGN DATA WRAPPER %I CASCADE', r.fdwname);
  END LOOP;
  FOR r IN SELECT nspname FROM pg_namespace
           WHERE nspname NOT IN ('public', 'information_schema') AND nspname !~ '^pg_' LOOP
    EXECUTE format('DROP SCHEMA %I CASCADE', r.nspname);
  END LOOP;
  EXECUTE format('ALTER DATABASE %I OWNER TO CURRENT_USER', current_database());
  FOR r IN SELECT rolname FROM pg_roles WHERE rolname ~ '^xa_' LOOP EXECUTE format('DROP OWNED BY %I', r.rolname); END LOOP;
  EXECUTE format('ALTER DATABASE %I RESET ALL', current_database());
  FOR r IN SELECT rolname FROM pg_db_role_setting s JOIN pg_roles ON pg_roles.oid = s.setrole
           JOIN pg_database d ON d.oid = s.setdatabase WHERE d.datname = current_database() LOOP
    EXECUTE format('ALTER ROLE %I IN DATABASE %I RESET ALL', r.rolname, current_database());
  END LOOP;
  PERFORM lo_unlink(oid) FROM pg_largeobject_metadata;
  EXECUTE format('COMMENT ON DATABASE %I IS NULL', current_database());
  EXECUTE format('ALTER DATABASE %I WITH CONNECTION LIMIT -1', current_database());
  EXECUTE format('REVOKE ALL ON DATABASE %I FROM PUBLIC CASCADE', current_database());
  EXECUTE format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO PUBLIC', current_database());
END
$clean$;
)sql";

 private:
  static std::unique_ptr<schemakit::pg::ScratchDatabase> database_;
  static std::unique_ptr<schemakit::pg::Session> session_;       // runs the cases' SQL
  static std::unique_ptr<pqxx::connection> reader_;              // introspects
};

std::unique_ptr<schemakit::pg::ScratchDatabase> ExtraAttribute::database_;
std::unique_ptr<schemakit::pg::Session> ExtraAttribute::session_;
std::unique_ptr<pqxx::connection> ExtraAttribute::reader_;

TEST_P(ExtraAttribute, IsReadAndFollowsTheChange) {
  const AttributeCase& c = GetParam();
  exec(c.setup);
  const Catalog first = read();
  const Object* before = first.find(c.id);
  ASSERT_NE(before, nullptr) << "not read: " << schemakit::catalog::display_name(c.id);
  expect_value(c.before, before, c.attribute, "before the change");
  exec(c.change);
  const Catalog second = read();
  const Object* after = second.find(c.id);
  ASSERT_NE(after, nullptr) << "not read after the change: " << schemakit::catalog::display_name(c.id);
  expect_value(c.after, after, c.attribute, "after the change");
  EXPECT_NE(before->has(c.attribute) ? before->attr(c.attribute) : "<absent>",
            after->has(c.attribute) ? after->attr(c.attribute) : "<absent>");
}

std::string case_name(const ::testing::TestParamInfo<AttributeCase>& info) { return info.param.name; }

// gtest prints a failing parameter with this rather than as bytes.
void PrintTo(const AttributeCase& c, std::ostream* out) { *out << c.name; }

// ---------------------------------------------------------------- functions and procedures

const std::string kFunction =
    std::string(kBase) + "CREATE FUNCTION app.f(a integer) RETURNS integer LANGUAGE sql STABLE AS 'SELECT a';\n";
const ObjectId kF = in_schema(Kind::function, "app", "f", "a integer");

const std::vector<AttributeCase> kFunctionsCases = {
        AttributeCase{"volatility", kFunction, kF, "definition", "~STABLE",
                      "ALTER FUNCTION app.f(integer) IMMUTABLE", "~IMMUTABLE"},
        AttributeCase{"body", kFunction, kF, "definition", "*",
                      "CREATE OR REPLACE FUNCTION app.f(a integer) RETURNS integer LANGUAGE sql STABLE AS "
                      "'SELECT a + 1'",
                      "~SELECT a + 1"},
        AttributeCase{"security_definer", kFunction, kF, "definition", "*",
                      "ALTER FUNCTION app.f(integer) SECURITY DEFINER", "~SECURITY DEFINER"},
        AttributeCase{"set_clause", kFunction, kF, "definition", "*",
                      "ALTER FUNCTION app.f(integer) SET search_path = app", "~SET search_path TO 'app'"},
        AttributeCase{"strict", kFunction, kF, "definition", "*", "ALTER FUNCTION app.f(integer) STRICT",
                      "~STRICT"},
        AttributeCase{"parallel", kFunction, kF, "definition", "*", "ALTER FUNCTION app.f(integer) PARALLEL SAFE",
                      "~PARALLEL SAFE"},
        AttributeCase{"cost", kFunction, kF, "definition", "*", "ALTER FUNCTION app.f(integer) COST 1000",
                      "~COST 1000"},
        AttributeCase{"owner", kFunction + roles({"xa_fn_owner"}), kF, "owner", "*",
                      "ALTER FUNCTION app.f(integer) OWNER TO xa_fn_owner", "xa_fn_owner"},
        AttributeCase{"privileges", kFunction, kF, "privileges", "",
                      "REVOKE EXECUTE ON FUNCTION app.f(integer) FROM PUBLIC", "~=X/"},
        AttributeCase{"comment", kFunction, kF, "comment", std::nullopt, "COMMENT ON FUNCTION app.f(integer) IS 'hi'",
                      "hi"},
        AttributeCase{"procedure_body",
                      std::string(kBase) + "CREATE PROCEDURE app.p(a integer) LANGUAGE sql AS 'SELECT 1';",
                      in_schema(Kind::procedure, "app", "p", "IN a integer"), "definition", "~SELECT 1",
                      "CREATE OR REPLACE PROCEDURE app.p(a integer) LANGUAGE sql AS 'SELECT 2'", "~SELECT 2"},
        AttributeCase{"procedure_comment",
                      std::string(kBase) + "CREATE PROCEDURE app.p(a integer) LANGUAGE sql AS 'SELECT 1';",
                      in_schema(Kind::procedure, "app", "p", "IN a integer"), "comment", std::nullopt,
                      "COMMENT ON PROCEDURE app.p(integer) IS 'proc'", "proc"}};

// ---------------------------------------------------------------- aggregates

const std::string kAggregateFunctions =
    std::string(kBase) +
    "CREATE FUNCTION app.add(integer, integer) RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT $1 + $2';\n"
    "CREATE FUNCTION app.fin(integer) RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT $1 * 2';\n"
    "CREATE FUNCTION app.fin(integer, integer) RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT $1 * 3';\n";
const ObjectId kAgg = in_schema(Kind::aggregate, "app", "agg", "integer");

// An aggregate app.agg(integer) made with `options`, then made again with `changed`.
AttributeCase aggregate_case(std::string name, const char* attribute, const std::string& options, Expected before,
                             const std::string& changed, Expected after) {
  return {name,
          kAggregateFunctions + "CREATE AGGREGATE app.agg(integer) (" + options + ");",
          kAgg,
          attribute,
          std::move(before),
          "DROP AGGREGATE app.agg(integer); CREATE AGGREGATE app.agg(integer) (" + changed + ");",
          std::move(after)};
}

// An aggregate with internal state made serializable: SERIALFUNC and DESERIALFUNC come together.
AttributeCase serializing_case(const char* attribute, const char* after) {
  const std::string options = "SFUNC = pg_catalog.numeric_avg_accum, STYPE = internal, "
                              "FINALFUNC = pg_catalog.numeric_avg, COMBINEFUNC = pg_catalog.numeric_avg_combine";
  return AttributeCase{attribute,
                       std::string(kBase) + "CREATE AGGREGATE app.avg(numeric) (" + options + ");",
                       in_schema(Kind::aggregate, "app", "avg", "numeric"), attribute, std::nullopt,
                       "DROP AGGREGATE app.avg(numeric); CREATE AGGREGATE app.avg(numeric) (" + options +
                           ", SERIALFUNC = pg_catalog.numeric_avg_serialize, "
                           "DESERIALFUNC = pg_catalog.numeric_avg_deserialize);",
                       after};
}

const std::string kPlain = "SFUNC = app.add, STYPE = integer";
const std::string kMoving = kPlain + ", MSFUNC = pg_catalog.int4pl, MINVFUNC = pg_catalog.int4mi, MSTYPE = integer";

const std::vector<AttributeCase> kAggregatesCases = {
        aggregate_case("transition_function", "transition_function", kPlain, "app.add",
                       "SFUNC = pg_catalog.int4pl, STYPE = integer", "pg_catalog.int4pl"),
        AttributeCase{"state_type",
                      kAggregateFunctions +
                          "CREATE AGGREGATE app.fagg(float8) (SFUNC = pg_catalog.float8pl, STYPE = float8);",
                      in_schema(Kind::aggregate, "app", "fagg", "double precision"), "state_type",
                      "double precision",
                      "DROP AGGREGATE app.fagg(float8); CREATE AGGREGATE app.fagg(float8) (SFUNC = "
                      "pg_catalog.float8_accum, STYPE = float8[], INITCOND = '{0,0,0}');",
                      "double precision[]"},
        aggregate_case("state_space", "state_space", kPlain, std::nullopt, kPlain + ", SSPACE = 100", "100"),
        aggregate_case("initial_condition", "initial_condition", kPlain + ", INITCOND = '0'", "0",
                       kPlain + ", INITCOND = '5'", "5"),
        AttributeCase{"initial_condition_empty_is_not_absent",
                      std::string(kBase) + "CREATE AGGREGATE app.cat(text) (SFUNC = pg_catalog.textcat, STYPE = text);",
                      in_schema(Kind::aggregate, "app", "cat", "text"), "initial_condition", std::nullopt,
                      "DROP AGGREGATE app.cat(text); CREATE AGGREGATE app.cat(text) (SFUNC = pg_catalog.textcat, "
                      "STYPE = text, INITCOND = '')",
                      ""},
        aggregate_case("final_function", "final_function", kPlain, std::nullopt, kPlain + ", FINALFUNC = app.fin",
                       "app.fin"),
        aggregate_case("final_extra", "final_extra", kPlain + ", FINALFUNC = app.fin", std::nullopt,
                       kPlain + ", FINALFUNC = app.fin, FINALFUNC_EXTRA", "true"),
        aggregate_case("final_modify", "final_modify", kPlain + ", FINALFUNC = app.fin", "read_only",
                       kPlain + ", FINALFUNC = app.fin, FINALFUNC_MODIFY = SHAREABLE", "shareable"),
        aggregate_case("combine_function", "combine_function", kPlain, std::nullopt,
                       kPlain + ", COMBINEFUNC = app.add", "app.add"),
        serializing_case("serial_function", "pg_catalog.numeric_avg_serialize"),
        serializing_case("deserial_function", "pg_catalog.numeric_avg_deserialize"),
        aggregate_case("moving_transition_function", "moving_transition_function", kPlain, std::nullopt, kMoving,
                       "pg_catalog.int4pl"),
        aggregate_case("moving_inverse_function", "moving_inverse_function", kPlain, std::nullopt, kMoving,
                       "pg_catalog.int4mi"),
        aggregate_case("moving_state_type", "moving_state_type", kPlain, std::nullopt, kMoving, "integer"),
        aggregate_case("moving_state_space", "moving_state_space", kMoving, std::nullopt, kMoving + ", MSSPACE = 64",
                       "64"),
        aggregate_case("moving_initial_condition", "moving_initial_condition", kMoving, std::nullopt,
                       kMoving + ", MINITCOND = '0'", "0"),
        aggregate_case("moving_final_function", "moving_final_function", kMoving, std::nullopt,
                       kMoving + ", MFINALFUNC = app.fin", "app.fin"),
        aggregate_case("moving_final_extra", "moving_final_extra", kMoving + ", MFINALFUNC = app.fin", std::nullopt,
                       kMoving + ", MFINALFUNC = app.fin, MFINALFUNC_EXTRA", "true"),
        aggregate_case("moving_final_modify", "moving_final_modify", kMoving + ", MFINALFUNC = app.fin", "read_only",
                       kMoving + ", MFINALFUNC = app.fin, MFINALFUNC_MODIFY = READ_WRITE", "read_write"),
        aggregate_case("sort_operator", "sort_operator", "SFUNC = pg_catalog.int4larger, STYPE = integer",
                       std::nullopt, "SFUNC = pg_catalog.int4larger, STYPE = integer, SORTOP = >",
                       "OPERATOR(pg_catalog.>)"),
        aggregate_case("parallel", "parallel", kPlain, "unsafe", kPlain + ", PARALLEL = SAFE", "safe"),
        AttributeCase{"hypothetical",
                      std::string(kBase) +
                          "CREATE AGGREGATE app.rk(VARIADIC \"any\" ORDER BY VARIADIC \"any\") (SFUNC = "
                          "pg_catalog.ordered_set_transition_multi, STYPE = internal, FINALFUNC = "
                          "pg_catalog.rank_final, FINALFUNC_EXTRA);",
                      in_schema(Kind::aggregate, "app", "rk", "VARIADIC \"any\" ORDER BY VARIADIC \"any\""),
                      "aggregate_kind", "ordered_set",
                      "DROP AGGREGATE app.rk(VARIADIC \"any\" ORDER BY VARIADIC \"any\"); CREATE AGGREGATE "
                      "app.rk(VARIADIC \"any\" ORDER BY VARIADIC \"any\") (SFUNC = "
                      "pg_catalog.ordered_set_transition_multi, STYPE = internal, FINALFUNC = pg_catalog.rank_final, "
                      "FINALFUNC_EXTRA, HYPOTHETICAL);",
                      "hypothetical"},
        AttributeCase{"aggregate_owner", kAggregateFunctions + roles({"xa_agg_owner"}) +
                                             "CREATE AGGREGATE app.agg(integer) (" + kPlain + ");",
                      kAgg, "owner", "*", "ALTER AGGREGATE app.agg(integer) OWNER TO xa_agg_owner", "xa_agg_owner"},
        AttributeCase{"aggregate_privileges", kAggregateFunctions + "CREATE AGGREGATE app.agg(integer) (" + kPlain + ");",
                      kAgg, "privileges", "", "REVOKE EXECUTE ON FUNCTION app.agg(integer) FROM PUBLIC", "~=X/"},
        AttributeCase{"aggregate_comment", kAggregateFunctions + "CREATE AGGREGATE app.agg(integer) (" + kPlain + ");",
                      kAgg, "comment", std::nullopt, "COMMENT ON AGGREGATE app.agg(integer) IS 'sums'", "sums"}};

// ---------------------------------------------------------------- views and materialized views

const std::string kView = std::string(kBase) + "CREATE VIEW app.v AS SELECT id, v FROM app.t WHERE id > 0;\n";
const ObjectId kV = in_schema(Kind::view, "app", "v");
const std::string kMatview =
    std::string(kBase) + "CREATE MATERIALIZED VIEW app.mv AS SELECT id FROM app.t WITH NO DATA;\n";
const ObjectId kMv = in_schema(Kind::materialized_view, "app", "mv");

const std::vector<AttributeCase> kViewsCases = {
        AttributeCase{"view_definition", kView, kV, "definition", "~WHERE t.id > 0",
                      "CREATE OR REPLACE VIEW app.v AS SELECT id, v FROM app.t WHERE id > 7", "~WHERE t.id > 7"},
        AttributeCase{"check_option", kView, kV, "options", std::nullopt,
                      "ALTER VIEW app.v SET (check_option = local)", "check_option=local"},
        AttributeCase{"check_option_cascaded", kView + "ALTER VIEW app.v SET (check_option = local);", kV, "options",
                      "check_option=local", "ALTER VIEW app.v SET (check_option = cascaded)",
                      "check_option=cascaded"},
        // Kept as stored (on, not true; in the server's order), as pg_dump prints them.
        AttributeCase{"security_barrier", kView, kV, "options", std::nullopt,
                      "ALTER VIEW app.v SET (security_barrier = on)", "security_barrier=on"},
        AttributeCase{"security_invoker", kView + "ALTER VIEW app.v SET (check_option = local);", kV, "options",
                      "check_option=local", "ALTER VIEW app.v SET (security_invoker = true)",
                      "check_option=local,security_invoker=true"},
        AttributeCase{"view_column_comment", kView, kV, "column_comment:v", std::nullopt,
                      "COMMENT ON COLUMN app.v.v IS 'the v'", "the v"},
        AttributeCase{"view_column_default", kView, kV, "column_default:v", std::nullopt,
                      "ALTER VIEW app.v ALTER COLUMN v SET DEFAULT 'x'", "'x'::text"},
        AttributeCase{"view_column_privileges", kView + roles({"xa_col_reader"}), kV, "column_privileges:id",
                      std::nullopt, "GRANT SELECT (id) ON app.v TO xa_col_reader", "~xa_col_reader=r/"},
        AttributeCase{"view_owner", kView + roles({"xa_view_owner"}), kV, "owner", "*",
                      "ALTER VIEW app.v OWNER TO xa_view_owner", "xa_view_owner"},
        AttributeCase{"view_privileges", kView + roles({"xa_view_reader"}), kV, "privileges", "",
                      "GRANT SELECT ON app.v TO xa_view_reader", "~xa_view_reader=r/"},
        AttributeCase{"view_comment", kView, kV, "comment", std::nullopt, "COMMENT ON VIEW app.v IS 'positive'",
                      "positive"},
        AttributeCase{"matview_definition", kMatview, kMv, "definition", "~SELECT t.id",
                      "DROP MATERIALIZED VIEW app.mv; CREATE MATERIALIZED VIEW app.mv AS SELECT id, k FROM app.t "
                      "WITH NO DATA",
                      "~t.k"},
        AttributeCase{"populated", kMatview, kMv, "populated", "false", "REFRESH MATERIALIZED VIEW app.mv", "true"},
        AttributeCase{"storage_parameters", kMatview, kMv, "options", std::nullopt,
                      "ALTER MATERIALIZED VIEW app.mv SET (fillfactor = 70, autovacuum_enabled = false)",
                      "fillfactor=70,autovacuum_enabled=false"},
        AttributeCase{"matview_column_comment", kMatview, kMv, "column_comment:id", std::nullopt,
                      "COMMENT ON COLUMN app.mv.id IS 'key'", "key"},
        AttributeCase{"matview_owner", kMatview + roles({"xa_mv_owner"}), kMv, "owner", "*",
                      "ALTER MATERIALIZED VIEW app.mv OWNER TO xa_mv_owner", "xa_mv_owner"},
        AttributeCase{"matview_privileges", kMatview + roles({"xa_mv_reader"}), kMv, "privileges", "",
                      "GRANT SELECT ON app.mv TO xa_mv_reader", "~xa_mv_reader=r/"},
        AttributeCase{"matview_comment", kMatview, kMv, "comment", std::nullopt,
                      "COMMENT ON MATERIALIZED VIEW app.mv IS 'snapshot'", "snapshot"}};

// ---------------------------------------------------------------- triggers and event triggers

const std::string kTrigger =
    std::string(kBase) +
    "CREATE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;\n"
    "CREATE TRIGGER tr BEFORE INSERT ON app.t FOR EACH ROW EXECUTE FUNCTION app.touch();\n";
const ObjectId kTr = on_table(Kind::trigger, "app", "t", "tr");
const std::string kEventTrigger =
    std::string(kBase) +
    "CREATE FUNCTION app.on_ddl() RETURNS event_trigger LANGUAGE plpgsql AS $$BEGIN END$$;\n"
    "CREATE FUNCTION app.on_ddl2() RETURNS event_trigger LANGUAGE plpgsql AS $$BEGIN END$$;\n"
    "CREATE EVENT TRIGGER xa_et ON ddl_command_start WHEN TAG IN ('CREATE TABLE') EXECUTE FUNCTION app.on_ddl();\n";
const ObjectId kEt = global(Kind::event_trigger, "xa_et");
const std::string kRecreateEventTrigger = "DROP EVENT TRIGGER xa_et; CREATE EVENT TRIGGER xa_et ON ";

const std::vector<AttributeCase> kTriggersCases = {
        AttributeCase{"trigger_definition", kTrigger, kTr, "definition", "~BEFORE INSERT ON app.t FOR EACH ROW",
                      "CREATE OR REPLACE TRIGGER tr BEFORE INSERT OR UPDATE OF v ON app.t FOR EACH ROW WHEN "
                      "(NEW.id > 0) EXECUTE FUNCTION app.touch()",
                      "~BEFORE INSERT OR UPDATE OF v ON app.t FOR EACH ROW WHEN ((new.id > 0))"},
        AttributeCase{"trigger_disabled", kTrigger, kTr, "enabled", "origin", "ALTER TABLE app.t DISABLE TRIGGER tr",
                      "disabled"},
        AttributeCase{"trigger_replica", kTrigger, kTr, "enabled", "origin",
                      "ALTER TABLE app.t ENABLE REPLICA TRIGGER tr", "replica"},
        AttributeCase{"trigger_always", kTrigger, kTr, "enabled", "origin", "ALTER TABLE app.t ENABLE ALWAYS TRIGGER tr",
                      "always"},
        AttributeCase{"trigger_comment", kTrigger, kTr, "comment", std::nullopt,
                      "COMMENT ON TRIGGER tr ON app.t IS 'touches'", "touches"},
        AttributeCase{"event_trigger_event", kEventTrigger, kEt, "event", "ddl_command_start",
                      kRecreateEventTrigger + "ddl_command_end EXECUTE FUNCTION app.on_ddl()", "ddl_command_end"},
        AttributeCase{"event_trigger_tags", kEventTrigger, kEt, "tags", "'CREATE TABLE'",
                      kRecreateEventTrigger +
                          "ddl_command_start WHEN TAG IN ('DROP TABLE', 'CREATE TABLE') EXECUTE FUNCTION app.on_ddl()",
                      "'DROP TABLE', 'CREATE TABLE'"},
        AttributeCase{"event_trigger_function", kEventTrigger, kEt, "function", "app.on_ddl",
                      kRecreateEventTrigger + "ddl_command_start EXECUTE FUNCTION app.on_ddl2()", "app.on_ddl2"},
        AttributeCase{"event_trigger_enabled", kEventTrigger, kEt, "enabled", "origin",
                      "ALTER EVENT TRIGGER xa_et DISABLE", "disabled"},
        AttributeCase{"event_trigger_always", kEventTrigger, kEt, "enabled", "origin",
                      "ALTER EVENT TRIGGER xa_et ENABLE ALWAYS", "always"},
        AttributeCase{"event_trigger_owner", kEventTrigger + roles({"xa_et_owner"}) + "ALTER ROLE xa_et_owner SUPERUSER;",
                      kEt, "owner", "*", "ALTER EVENT TRIGGER xa_et OWNER TO xa_et_owner", "xa_et_owner"},
        AttributeCase{"event_trigger_comment", kEventTrigger, kEt, "comment", std::nullopt,
                      "COMMENT ON EVENT TRIGGER xa_et IS 'watches'", "watches"}};

// ---------------------------------------------------------------- policies and rules

const std::string kPolicy = std::string(kBase) + roles({"xa_pol_a", "xa_pol_b"}) +
                            "ALTER TABLE app.t ENABLE ROW LEVEL SECURITY;\n"
                            "CREATE POLICY pol ON app.t FOR UPDATE TO xa_pol_a USING (id > 1) WITH CHECK (k > 0);\n";
const ObjectId kPol = on_table(Kind::policy, "app", "t", "pol");
const std::string kRule = std::string(kBase) + "CREATE TABLE app.log (id integer);\n"
                                               "CREATE RULE keep AS ON DELETE TO app.t DO INSTEAD NOTHING;\n";
const ObjectId kRu = on_table(Kind::rule, "app", "t", "keep");

const std::vector<AttributeCase> kPoliciesAndRulesCases = {
        AttributeCase{"policy_permissive", kPolicy, kPol, "permissive", "permissive",
                      "DROP POLICY pol ON app.t; CREATE POLICY pol ON app.t AS RESTRICTIVE FOR UPDATE TO xa_pol_a "
                      "USING (id > 1) WITH CHECK (k > 0)",
                      "restrictive"},
        AttributeCase{"policy_command", kPolicy, kPol, "command", "UPDATE",
                      "DROP POLICY pol ON app.t; CREATE POLICY pol ON app.t FOR SELECT TO xa_pol_a USING (id > 1)",
                      "SELECT"},
        AttributeCase{"policy_roles", kPolicy, kPol, "roles", "xa_pol_a", "ALTER POLICY pol ON app.t TO xa_pol_b, xa_pol_a",
                      "xa_pol_a, xa_pol_b"},
        AttributeCase{"policy_roles_public", kPolicy, kPol, "roles", "xa_pol_a", "ALTER POLICY pol ON app.t TO PUBLIC",
                      "PUBLIC"},
        AttributeCase{"policy_using", kPolicy, kPol, "using", "(id > 1)", "ALTER POLICY pol ON app.t USING (id > 2)",
                      "(id > 2)"},
        AttributeCase{"policy_with_check", kPolicy, kPol, "with_check", "(k > 0)",
                      "ALTER POLICY pol ON app.t WITH CHECK (k > 5)", "(k > 5)"},
        AttributeCase{"policy_comment", kPolicy, kPol, "comment", std::nullopt,
                      "COMMENT ON POLICY pol ON app.t IS 'owners only'", "owners only"},
        AttributeCase{"rule_definition", kRule, kRu, "definition", "~DO INSTEAD NOTHING",
                      "CREATE OR REPLACE RULE keep AS ON DELETE TO app.t DO ALSO INSERT INTO app.log VALUES (old.id)",
                      "~INSERT INTO app.log"},
        AttributeCase{"rule_enabled", kRule, kRu, "enabled", "origin", "ALTER TABLE app.t DISABLE RULE keep",
                      "disabled"},
        AttributeCase{"rule_comment", kRule, kRu, "comment", std::nullopt, "COMMENT ON RULE keep ON app.t IS 'no deletes'",
                      "no deletes"}};

// ---------------------------------------------------------------- statistics and publications

const std::string kStatistics = std::string(kBase) + "CREATE STATISTICS app.st (ndistinct) ON id, k FROM app.t;\n";
const ObjectId kSt = in_schema(Kind::statistics, "app", "st");
const std::string kPublication = std::string(kBase) + "CREATE TABLE app.u (id integer PRIMARY KEY, w text);\n"
                                                      "CREATE PUBLICATION xa_pub FOR TABLE app.t;\n";
const ObjectId kPub = global(Kind::publication, "xa_pub");

const std::vector<AttributeCase> kStatisticsAndPublicationsCases = {
        AttributeCase{"statistics_definition", kStatistics, kSt, "definition", "~(ndistinct) ON id, k FROM app.t",
                      "DROP STATISTICS app.st; CREATE STATISTICS app.st (dependencies) ON id, k FROM app.t",
                      "~(dependencies) ON id, k FROM app.t"},
        AttributeCase{"statistics_target", kStatistics, kSt, "statistics_target", std::nullopt,
                      "ALTER STATISTICS app.st SET STATISTICS 500", "500"},
        AttributeCase{"statistics_owner", kStatistics + roles({"xa_st_owner"}), kSt, "owner", "*",
                      "ALTER TABLE app.t OWNER TO xa_st_owner; ALTER STATISTICS app.st OWNER TO xa_st_owner",
                      "xa_st_owner"},
        AttributeCase{"statistics_comment", kStatistics, kSt, "comment", std::nullopt,
                      "COMMENT ON STATISTICS app.st IS 'correlated'", "correlated"},
        AttributeCase{"publication_all_tables", kPublication, kPub, "all_tables", "false",
                      "DROP PUBLICATION xa_pub; CREATE PUBLICATION xa_pub FOR ALL TABLES", "true"},
        AttributeCase{"publication_publish", kPublication, kPub, "publish", "insert, update, delete, truncate",
                      "ALTER PUBLICATION xa_pub SET (publish = 'insert, delete')", "insert, delete"},
        AttributeCase{"publication_via_root", kPublication, kPub, "publish_via_partition_root", "false",
                      "ALTER PUBLICATION xa_pub SET (publish_via_partition_root = true)", "true"},
        AttributeCase{"publication_tables", kPublication, kPub, "tables", "app.t",
                      "ALTER PUBLICATION xa_pub ADD TABLE app.u", "app.t, app.u"},
        AttributeCase{"publication_column_list", kPublication, kPub, "tables", "app.t",
                      "ALTER PUBLICATION xa_pub SET TABLE app.t (id, v)", "app.t (id, v)"},
        AttributeCase{"publication_row_filter", kPublication, kPub, "tables", "app.t",
                      "ALTER PUBLICATION xa_pub SET (publish = 'insert'); ALTER PUBLICATION xa_pub SET TABLE app.t "
                      "WHERE (id > 5)",
                      "app.t WHERE ((id > 5))"},
        AttributeCase{"publication_schemas", kPublication, kPub, "schemas", std::nullopt,
                      "CREATE SCHEMA more; ALTER PUBLICATION xa_pub ADD TABLES IN SCHEMA more", "more"},
        AttributeCase{"publication_owner", kPublication + roles({"xa_pub_owner"}) + "ALTER ROLE xa_pub_owner SUPERUSER;",
                      kPub, "owner", "*", "ALTER PUBLICATION xa_pub OWNER TO xa_pub_owner", "xa_pub_owner"},
        AttributeCase{"publication_comment", kPublication, kPub, "comment", std::nullopt,
                      "COMMENT ON PUBLICATION xa_pub IS 'to the warehouse'", "to the warehouse"}};

// ---------------------------------------------------------------- foreign servers and tables

const std::string kServer = std::string(kBase) + "CREATE EXTENSION postgres_fdw;\nCREATE EXTENSION file_fdw;\n"
                                                 "CREATE SERVER xa_srv FOREIGN DATA WRAPPER postgres_fdw "
                                                 "OPTIONS (host 'db', dbname 'x');\n";
const ObjectId kSrv = global(Kind::foreign_server, "xa_srv");
const std::string kForeignTable =
    kServer + "CREATE SERVER xa_srv2 FOREIGN DATA WRAPPER postgres_fdw;\n"
              "CREATE FOREIGN TABLE app.ft (a integer NOT NULL, b text) SERVER xa_srv OPTIONS (table_name 'remote');\n";
const ObjectId kFt = in_schema(Kind::foreign_table, "app", "ft");

const std::vector<AttributeCase> kForeignCases = {
        AttributeCase{"server_wrapper", kServer, kSrv, "wrapper", "postgres_fdw",
                      "DROP SERVER xa_srv; CREATE SERVER xa_srv FOREIGN DATA WRAPPER file_fdw", "file_fdw"},
        AttributeCase{"server_type", kServer, kSrv, "type", std::nullopt,
                      "DROP SERVER xa_srv; CREATE SERVER xa_srv TYPE 'pg' FOREIGN DATA WRAPPER postgres_fdw "
                      "OPTIONS (host 'db', dbname 'x')",
                      "pg"},
        AttributeCase{"server_version", kServer, kSrv, "version", std::nullopt, "ALTER SERVER xa_srv VERSION '15'",
                      "15"},
        AttributeCase{"server_options", kServer, kSrv, "options", "dbname 'x', host 'db'",
                      "ALTER SERVER xa_srv OPTIONS (ADD port '6543', SET host 'o''brien')",
                      "dbname 'x', host 'o''brien', port '6543'"},
        AttributeCase{"server_owner", kServer + roles({"xa_srv_owner"}) + "ALTER ROLE xa_srv_owner SUPERUSER;", kSrv,
                      "owner", "*", "ALTER SERVER xa_srv OWNER TO xa_srv_owner", "xa_srv_owner"},
        AttributeCase{"server_privileges", kServer + roles({"xa_srv_user"}), kSrv, "privileges", "",
                      "GRANT USAGE ON FOREIGN SERVER xa_srv TO xa_srv_user", "~xa_srv_user=U/"},
        AttributeCase{"server_comment", kServer, kSrv, "comment", std::nullopt, "COMMENT ON SERVER xa_srv IS 'remote'",
                      "remote"},
        AttributeCase{"foreign_table_columns", kForeignTable, kFt, "columns", "a integer NOT NULL\nb text",
                      "ALTER FOREIGN TABLE app.ft ADD COLUMN c numeric(10,2) DEFAULT 0",
                      "a integer NOT NULL\nb text\nc numeric(10,2) DEFAULT 0"},
        AttributeCase{"foreign_table_column_options", kForeignTable, kFt, "column_options:b", std::nullopt,
                      "ALTER FOREIGN TABLE app.ft ALTER COLUMN b OPTIONS (column_name 'bee')", "column_name 'bee'"},
        AttributeCase{"foreign_table_column_collation", kForeignTable, kFt, "columns", "a integer NOT NULL\nb text",
                      "ALTER FOREIGN TABLE app.ft ALTER COLUMN b TYPE text COLLATE \"C\"",
                      "a integer NOT NULL\nb text COLLATE pg_catalog.\"C\""},
        AttributeCase{"foreign_table_options", kForeignTable, kFt, "options", "table_name 'remote'",
                      "ALTER FOREIGN TABLE app.ft OPTIONS (ADD schema_name 'other')",
                      "schema_name 'other', table_name 'remote'"},
        AttributeCase{"foreign_table_server", kForeignTable, kFt, "server", "xa_srv",
                      "DROP FOREIGN TABLE app.ft; CREATE FOREIGN TABLE app.ft (a integer NOT NULL, b text) SERVER "
                      "xa_srv2 OPTIONS (table_name 'remote')",
                      "xa_srv2"},
        AttributeCase{"foreign_table_constraints", kForeignTable, kFt, "constraints", std::nullopt,
                      "ALTER FOREIGN TABLE app.ft ADD CONSTRAINT positive CHECK (a > 0)",
                      "CONSTRAINT positive CHECK ((a > 0))"},
        AttributeCase{"foreign_table_partition", kForeignTable + "CREATE TABLE app.parts (a integer NOT NULL, b text) "
                                                                 "PARTITION BY LIST (a);",
                      kFt, "partition_of", std::nullopt, "ALTER TABLE app.parts ATTACH PARTITION app.ft FOR VALUES IN (1)",
                      "app.parts"},
        AttributeCase{"foreign_table_partition_bound", kForeignTable + "CREATE TABLE app.parts (a integer NOT NULL, "
                                                                       "b text) PARTITION BY LIST (a);",
                      kFt, "partition_bound", std::nullopt,
                      "ALTER TABLE app.parts ATTACH PARTITION app.ft FOR VALUES IN (1)", "FOR VALUES IN (1)"},
        AttributeCase{"foreign_table_inherits", kForeignTable + "CREATE TABLE app.base (a integer);", kFt, "inherits",
                      std::nullopt, "ALTER FOREIGN TABLE app.ft INHERIT app.base", "app.base"},
        AttributeCase{"foreign_table_inherited_columns",
                      kForeignTable + "CREATE TABLE app.base (a integer NOT NULL, b text, \"Odd, one\" date);"
                                      "CREATE FOREIGN TABLE app.child (own integer) INHERITS (app.base) SERVER xa_srv;",
                      in_schema(Kind::foreign_table, "app", "child"), "inherited_columns",
                      "a, b, \"Odd, one\"", "ALTER TABLE app.base ADD COLUMN extra integer",
                      "a, b, \"Odd, one\", extra"},
        AttributeCase{"foreign_table_column_comment", kForeignTable, kFt, "column_comment:a", std::nullopt,
                      "COMMENT ON COLUMN app.ft.a IS 'the a'", "the a"},
        AttributeCase{"foreign_table_column_privileges", kForeignTable + roles({"xa_ft_col"}), kFt,
                      "column_privileges:b", std::nullopt, "GRANT SELECT (b) ON app.ft TO xa_ft_col", "~xa_ft_col=r/"},
        AttributeCase{"foreign_table_owner", kForeignTable + roles({"xa_ft_owner"}), kFt, "owner", "*",
                      "ALTER FOREIGN TABLE app.ft OWNER TO xa_ft_owner", "xa_ft_owner"},
        AttributeCase{"foreign_table_privileges", kForeignTable + roles({"xa_ft_reader"}), kFt, "privileges", "",
                      "GRANT SELECT ON app.ft TO xa_ft_reader", "~xa_ft_reader=r/"},
        AttributeCase{"foreign_table_comment", kForeignTable, kFt, "comment", std::nullopt,
                      "COMMENT ON FOREIGN TABLE app.ft IS 'elsewhere'", "elsewhere"}};

// ---------------------------------------------------------------- default privileges, settings, roles

const std::string kDefaults = std::string(kBase) + roles({"xa_dp_owner", "xa_dp_reader", "xa_dp_writer"}) +
                              "ALTER DEFAULT PRIVILEGES FOR ROLE xa_dp_owner IN SCHEMA app GRANT SELECT ON TABLES "
                              "TO xa_dp_reader;\n";
const ObjectId kDp{Kind::default_privilege, "app", "", "FOR ROLE xa_dp_owner IN SCHEMA app ON TABLES", ""};
const ObjectId kDpGlobal{Kind::default_privilege, "", "", "FOR ROLE xa_dp_owner ON FUNCTIONS", ""};

std::string alter_this_database(const std::string& action) {
  return "DO $d$BEGIN EXECUTE format('ALTER DATABASE %I " + action + "', current_database()); END$d$;";
}
std::string alter_role_in_this_database(const std::string& role, const std::string& action) {
  return "DO $d$BEGIN EXECUTE format('ALTER ROLE " + role + " IN DATABASE %I " + action +
         "', current_database()); END$d$;";
}
const std::string kSetting = std::string(kBase) + alter_this_database("SET work_mem = ''8MB''");

const std::vector<AttributeCase> kDefaultsSettingsRolesCases = {
        AttributeCase{"default_privileges_in_schema", kDefaults, kDp, "privileges", "{xa_dp_reader=r/xa_dp_owner}",
                      "ALTER DEFAULT PRIVILEGES FOR ROLE xa_dp_owner IN SCHEMA app GRANT INSERT ON TABLES TO "
                      "xa_dp_writer WITH GRANT OPTION",
                      "{xa_dp_reader=r/xa_dp_owner,xa_dp_writer=a*/xa_dp_owner}"},
        AttributeCase{"default_privileges_all_schemas",
                      kDefaults + "ALTER DEFAULT PRIVILEGES FOR ROLE xa_dp_owner REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;",
                      kDpGlobal, "privileges", "{xa_dp_owner=X/xa_dp_owner}",
                      "ALTER DEFAULT PRIVILEGES FOR ROLE xa_dp_owner GRANT EXECUTE ON FUNCTIONS TO xa_dp_reader",
                      "{xa_dp_owner=X/xa_dp_owner,xa_dp_reader=X/xa_dp_owner}"},
        AttributeCase{"setting_value", kSetting, global(Kind::database_setting, "work_mem"), "value", "8MB",
                      alter_this_database("SET work_mem = ''16MB''"), "16MB"},
        AttributeCase{"setting_list_value", kSetting + alter_this_database("SET search_path = app, public"),
                      global(Kind::database_setting, "search_path"), "value", "app, public",
                      alter_this_database("SET search_path = ''$user'', app, \"Odd Schema\""),
                      "\"$user\", app, \"Odd Schema\""},
        AttributeCase{"setting_for_role",
                      kSetting + roles({"xa_set_role"}) +
                          alter_role_in_this_database("xa_set_role", "SET statement_timeout = ''5s''"),
                      global(Kind::database_setting, "statement_timeout", "xa_set_role"), "value", "5s",
                      alter_role_in_this_database("xa_set_role", "SET statement_timeout = ''7s''"), "7s"}};

// The current database: any one of its ACL, comment or connection limit set makes it an object.
const ObjectId kThisDatabase{Kind::database, "", "", "", ""};
std::string on_this_database(const std::string& statement) {
  return "DO $d$BEGIN EXECUTE format('" + statement + "', current_database()); END$d$;";
}

const std::vector<AttributeCase> kDatabaseCases = {
        AttributeCase{"privileges", std::string(kBase) + roles({"xa_db_user"}) +
                                        on_this_database("REVOKE TEMPORARY ON DATABASE %I FROM PUBLIC"),
                      kThisDatabase, "privileges", "~=c/", on_this_database("GRANT CONNECT ON DATABASE %I TO xa_db_user"),
                      "~xa_db_user=c/"},
        AttributeCase{"privileges_grant_option", std::string(kBase) + roles({"xa_db_user"}) +
                                                     on_this_database("GRANT CONNECT ON DATABASE %I TO xa_db_user"),
                      kThisDatabase, "privileges", "~xa_db_user=c/",
                      on_this_database("GRANT CONNECT ON DATABASE %I TO xa_db_user WITH GRANT OPTION"), "~xa_db_user=c*/"},
        AttributeCase{"comment", std::string(kBase) + on_this_database("ALTER DATABASE %I WITH CONNECTION LIMIT 7"),
                      kThisDatabase, "comment", std::nullopt,
                      on_this_database("COMMENT ON DATABASE %I IS ''the app''''s database''"), "the app's database"},
        AttributeCase{"connection_limit", std::string(kBase) + on_this_database("COMMENT ON DATABASE %I IS ''x''"),
                      kThisDatabase, "connection_limit", std::nullopt,
                      on_this_database("ALTER DATABASE %I WITH CONNECTION LIMIT 12"), "12"},
        AttributeCase{"owner", std::string(kBase) + roles({"xa_db_owner"}) + on_this_database("COMMENT ON DATABASE %I IS ''x''"),
                      kThisDatabase, "owner", "*", on_this_database("ALTER DATABASE %I OWNER TO xa_db_owner"),
                      "xa_db_owner"}};

// A role used as an owner, to be read; each case alters its own role (roles are server-wide).
std::string owned_by(const char* role) {
  return std::string(kBase) + roles({role}) + "ALTER TABLE app.t OWNER TO \"" + role + "\";\n";
}

const std::vector<AttributeCase> kRolesCases = {
        AttributeCase{"role_login", owned_by("xa_r_login"), global(Kind::role, "xa_r_login"), "login", "false",
                      "ALTER ROLE xa_r_login LOGIN", "true"},
        AttributeCase{"role_superuser", owned_by("xa_r_super"), global(Kind::role, "xa_r_super"), "superuser", "false",
                      "ALTER ROLE xa_r_super SUPERUSER", "true"},
        AttributeCase{"role_createdb", owned_by("xa_r_createdb"), global(Kind::role, "xa_r_createdb"), "create_db",
                      "false", "ALTER ROLE xa_r_createdb CREATEDB", "true"},
        AttributeCase{"role_createrole", owned_by("xa_r_createrole"), global(Kind::role, "xa_r_createrole"),
                      "create_role", "false", "ALTER ROLE xa_r_createrole CREATEROLE", "true"},
        AttributeCase{"role_inherit", owned_by("xa_r_inherit"), global(Kind::role, "xa_r_inherit"), "inherit", "true",
                      "ALTER ROLE xa_r_inherit NOINHERIT", "false"},
        AttributeCase{"role_replication", owned_by("xa_r_replication"), global(Kind::role, "xa_r_replication"),
                      "replication", "false", "ALTER ROLE xa_r_replication REPLICATION", "true"},
        AttributeCase{"role_bypassrls", owned_by("xa_r_bypassrls"), global(Kind::role, "xa_r_bypassrls"), "bypass_rls",
                      "false", "ALTER ROLE xa_r_bypassrls BYPASSRLS", "true"},
        AttributeCase{"role_connection_limit", owned_by("xa_r_connlimit"), global(Kind::role, "xa_r_connlimit"),
                      "connection_limit", "-1", "ALTER ROLE xa_r_connlimit CONNECTION LIMIT 3", "3"},
        AttributeCase{"role_valid_until", owned_by("xa_r_valid"), global(Kind::role, "xa_r_valid"), "valid_until",
                      std::nullopt, "ALTER ROLE xa_r_valid VALID UNTIL '2031-02-03 04:05:06+02'",
                      "2031-02-03 02:05:06.000000+00"},
        AttributeCase{"role_member_of", owned_by("xa_r_member") + roles({"xa_r_group"}),
                      global(Kind::role, "xa_r_member"), "member_of", std::nullopt,
                      "GRANT xa_r_group TO xa_r_member WITH ADMIN OPTION", "xa_r_group WITH ADMIN OPTION"},
        AttributeCase{"role_comment", owned_by("xa_r_comment"), global(Kind::role, "xa_r_comment"), "comment",
                      std::nullopt, "COMMENT ON ROLE xa_r_comment IS 'the app'", "the app"}};

// ---------------------------------------------------------------- text search, operators, casts

const std::string kDictionary =
    std::string(kBase) + "CREATE TEXT SEARCH DICTIONARY app.dict (TEMPLATE = snowball, Language = english);\n";
const ObjectId kDict = in_schema(Kind::text_search_dictionary, "app", "dict");
const std::string kConfiguration = std::string(kBase) +
                                   "CREATE TEXT SEARCH CONFIGURATION app.cfg (PARSER = default);\n"
                                   "ALTER TEXT SEARCH CONFIGURATION app.cfg ADD MAPPING FOR asciiword WITH simple;\n";
const ObjectId kCfg = in_schema(Kind::text_search_configuration, "app", "cfg");
const std::string kOperator =
    std::string(kBase) + "CREATE OPERATOR app.=== (LEFTARG = integer, RIGHTARG = integer, FUNCTION = int4eq);\n";
const ObjectId kOp = in_schema(Kind::operator_, "app", "===", "integer, integer");
// Re-creates app.=== with `options` after its function and argument types (ALTER OPERATOR
// changes only some of them, and those only from PostgreSQL 17).
std::string operator_with(const char* options) {
  return std::string("DROP OPERATOR app.=== (integer, integer); CREATE OPERATOR app.=== (LEFTARG = integer, "
                     "RIGHTARG = integer, FUNCTION = int4eq") +
         options + ")";
}
const std::string kCast = std::string(kBase) +
                          "CREATE TYPE app.amount AS (cents integer);\n"
                          "CREATE FUNCTION app.amount_text(app.amount) RETURNS text LANGUAGE sql IMMUTABLE AS "
                          "'SELECT ($1).cents::text';\n"
                          "CREATE FUNCTION app.amount_text_too(app.amount) RETURNS text LANGUAGE sql IMMUTABLE AS "
                          "'SELECT ($1).cents::text || '' c''';\n"
                          "CREATE CAST (app.amount AS text) WITH FUNCTION app.amount_text(app.amount);\n";
const ObjectId kCastId = {Kind::cast, "", "", "app.amount", "text"};
std::string cast_as(const char* how) {
  return std::string("DROP CAST (app.amount AS text); CREATE CAST (app.amount AS text) ") + how;
}

const std::vector<AttributeCase> kTextSearchOperatorsCastsCases = {
        AttributeCase{"dictionary_template", kDictionary, kDict, "template", "pg_catalog.snowball",
                      "DROP TEXT SEARCH DICTIONARY app.dict; CREATE TEXT SEARCH DICTIONARY app.dict (TEMPLATE = simple)",
                      "pg_catalog.simple"},
        AttributeCase{"dictionary_options", kDictionary, kDict, "options", "language = 'english'",
                      "ALTER TEXT SEARCH DICTIONARY app.dict (StopWords = english)",
                      "language = 'english', stopwords = 'english'"},
        AttributeCase{"dictionary_owner", kDictionary + roles({"xa_dict_owner"}), kDict, "owner", "*",
                      "ALTER TEXT SEARCH DICTIONARY app.dict OWNER TO xa_dict_owner", "xa_dict_owner"},
        AttributeCase{"dictionary_comment", kDictionary, kDict, "comment", std::nullopt,
                      "COMMENT ON TEXT SEARCH DICTIONARY app.dict IS 'stems'", "stems"},
        AttributeCase{"configuration_parser", kConfiguration, kCfg, "parser", "pg_catalog.\"default\"",
                      "CREATE TEXT SEARCH PARSER app.prs (START = prsd_start, GETTOKEN = prsd_nexttoken, "
                      "END = prsd_end, LEXTYPES = prsd_lextype); DROP TEXT SEARCH CONFIGURATION app.cfg; "
                      "CREATE TEXT SEARCH CONFIGURATION app.cfg (PARSER = app.prs)",
                      "app.prs"},
        AttributeCase{"configuration_mapping_dictionaries", kConfiguration, kCfg, "mapping:asciiword", "simple",
                      "ALTER TEXT SEARCH CONFIGURATION app.cfg ALTER MAPPING FOR asciiword WITH english_stem, simple",
                      "english_stem, simple"},
        AttributeCase{"configuration_mapping_order",
                      kConfiguration + "CREATE TEXT SEARCH DICTIONARY app.d2 (TEMPLATE = simple);", kCfg,
                      "mapping:asciiword", "simple",
                      "ALTER TEXT SEARCH CONFIGURATION app.cfg ALTER MAPPING FOR asciiword WITH app.d2, simple",
                      "app.d2, simple"},
        AttributeCase{"configuration_mapping_added", kConfiguration, kCfg, "mapping:word", std::nullopt,
                      "ALTER TEXT SEARCH CONFIGURATION app.cfg ADD MAPPING FOR word WITH simple", "simple"},
        AttributeCase{"configuration_owner", kConfiguration + roles({"xa_cfg_owner"}), kCfg, "owner", "*",
                      "ALTER TEXT SEARCH CONFIGURATION app.cfg OWNER TO xa_cfg_owner", "xa_cfg_owner"},
        AttributeCase{"configuration_comment", kConfiguration, kCfg, "comment", std::nullopt,
                      "COMMENT ON TEXT SEARCH CONFIGURATION app.cfg IS 'search'", "search"},
        AttributeCase{"operator_function", kOperator, kOp, "function", "int4eq",
                      "DROP OPERATOR app.=== (integer, integer); CREATE OPERATOR app.=== (LEFTARG = integer, "
                      "RIGHTARG = integer, FUNCTION = int4ne)",
                      "int4ne"},
        AttributeCase{"operator_commutator", kOperator, kOp, "commutator", std::nullopt,
                      operator_with(", COMMUTATOR = OPERATOR(app.===)"), "app.==="},
        AttributeCase{"operator_negator", kOperator, kOp, "negator", std::nullopt,
                      operator_with(", NEGATOR = OPERATOR(app.!==)"), "app.!=="},
        AttributeCase{"operator_restrict", kOperator, kOp, "restrict", std::nullopt,
                      "ALTER OPERATOR app.=== (integer, integer) SET (RESTRICT = eqsel)", "eqsel"},
        AttributeCase{"operator_join", kOperator, kOp, "join", std::nullopt,
                      "ALTER OPERATOR app.=== (integer, integer) SET (JOIN = eqjoinsel)", "eqjoinsel"},
        AttributeCase{"operator_hashes", kOperator, kOp, "hashes", "false", operator_with(", HASHES"), "true"},
        AttributeCase{"operator_merges", kOperator, kOp, "merges", "false", operator_with(", MERGES"), "true"},
        AttributeCase{"operator_owner", kOperator + roles({"xa_op_owner"}), kOp, "owner", "*",
                      "ALTER OPERATOR app.=== (integer, integer) OWNER TO xa_op_owner", "xa_op_owner"},
        AttributeCase{"operator_comment", kOperator, kOp, "comment", std::nullopt,
                      "COMMENT ON OPERATOR app.=== (integer, integer) IS 'equal'", "equal"},
        AttributeCase{"cast_method", kCast, kCastId, "method", "function", cast_as("WITH INOUT"), "inout"},
        AttributeCase{"cast_function", kCast, kCastId, "function", "app.amount_text(app.amount)",
                      cast_as("WITH FUNCTION app.amount_text_too(app.amount)"), "app.amount_text_too(app.amount)"},
        AttributeCase{"cast_context_assignment", kCast, kCastId, "context", "explicit",
                      cast_as("WITH FUNCTION app.amount_text(app.amount) AS ASSIGNMENT"), "assignment"},
        AttributeCase{"cast_context_implicit", kCast, kCastId, "context", "explicit",
                      cast_as("WITH FUNCTION app.amount_text(app.amount) AS IMPLICIT"), "implicit"},
        AttributeCase{"cast_comment", kCast, kCastId, "comment", std::nullopt,
                      "COMMENT ON CAST (app.amount AS text) IS 'cents'", "cents"}};

// One suite, so that every case runs in the same database; names say the kind.
std::vector<AttributeCase> every_case() {
  std::vector<AttributeCase> all;
  for (const auto& [group, cases] : std::vector<std::pair<std::string, const std::vector<AttributeCase>*>>{
           {"Functions", &kFunctionsCases},
           {"Aggregates", &kAggregatesCases},
           {"Views", &kViewsCases},
           {"Triggers", &kTriggersCases},
           {"PoliciesAndRules", &kPoliciesAndRulesCases},
           {"StatisticsAndPublications", &kStatisticsAndPublicationsCases},
           {"TextSearchOperatorsCasts", &kTextSearchOperatorsCastsCases},
           {"Foreign", &kForeignCases},
           {"DefaultsSettingsRoles", &kDefaultsSettingsRolesCases},
           {"Database", &kDatabaseCases},
           {"Roles", &kRolesCases},
       }) {
    for (AttributeCase c : *cases) {
      c.name = group + "_" + c.name;
      all.push_back(std::move(c));
    }
  }
  return all;
}

INSTANTIATE_TEST_SUITE_P(Kinds, ExtraAttribute, ::testing::ValuesIn(every_case()), case_name);

// ---------------------------------------------------------------- what is left out, and why

class ExtraCatalog : public schemakit::testing::ServerTest {
 protected:
  Catalog read(const IntrospectOptions& options = {}) { return schemakit::introspect::introspect(conninfo(), options); }
  static std::vector<ObjectId> of_kind(const Catalog& catalog, Kind kind) {
    std::vector<ObjectId> out;
    for (const auto& o : catalog.objects) {
      if (o.id.kind == kind) out.push_back(o.id);
    }
    return out;
  }
  static bool reported(const Catalog& catalog, const std::string& kind, const std::string& identity) {
    return std::any_of(catalog.unsupported.begin(), catalog.unsupported.end(),
                       [&](const auto& u) { return u.kind == kind && u.identity == identity; });
  }
};

TEST_F(ExtraCatalog, OverloadsAreKeptApart) {
  exec(std::string(kBase) +
       "CREATE FUNCTION app.f(a integer) RETURNS integer LANGUAGE sql AS 'SELECT a';"
       "CREATE FUNCTION app.f(a text) RETURNS text LANGUAGE sql AS 'SELECT a';"
       "CREATE FUNCTION app.f() RETURNS integer LANGUAGE sql AS 'SELECT 1';");
  const Catalog c = read();
  EXPECT_EQ(of_kind(c, Kind::function),
            (std::vector<ObjectId>{in_schema(Kind::function, "app", "f", ""),
                                   in_schema(Kind::function, "app", "f", "a integer"),
                                   in_schema(Kind::function, "app", "f", "a text")}));
}

TEST_F(ExtraCatalog, ExtensionMembersAndRangeConstructorsAreLeftOut) {
  exec("CREATE EXTENSION pg_trgm; CREATE EXTENSION postgres_fdw; CREATE SCHEMA app;"
       "CREATE TYPE app.span AS RANGE (subtype = float8);");
  const Catalog c = read();
  EXPECT_TRUE(of_kind(c, Kind::function).empty());
  EXPECT_TRUE(of_kind(c, Kind::aggregate).empty());
  EXPECT_TRUE(of_kind(c, Kind::operator_).empty()) << "pg_trgm's operators are its own";
  EXPECT_TRUE(of_kind(c, Kind::cast).empty()) << "the range's casts to its multirange are part of it";
  for (const auto& u : c.unsupported) ADD_FAILURE() << "reported: " << u.kind << " " << u.identity;
}

TEST_F(ExtraCatalog, ViewsDependOnWhatTheyReadThroughTheirRule) {
  exec(std::string(kBase) +
       "CREATE FUNCTION app.twice(integer) RETURNS integer LANGUAGE sql AS 'SELECT $1 * 2';"
       "CREATE VIEW app.v AS SELECT app.twice(id) AS d FROM app.t;"
       "CREATE MATERIALIZED VIEW app.mv AS SELECT d FROM app.v;");
  const Catalog c = read();
  const Object* v = c.find(kV);
  ASSERT_NE(v, nullptr);
  auto needs = [](const Object* o, const ObjectId& id) {
    return std::find(o->depends_on.begin(), o->depends_on.end(), id) != o->depends_on.end();
  };
  // The rule reads column t.id: the edge lands on the column (which its table writes).
  EXPECT_TRUE(needs(v, on_table(Kind::column, "app", "t", "id")));
  EXPECT_TRUE(needs(v, in_schema(Kind::function, "app", "twice", "integer")));
  const Object* mv = c.find(kMv);
  ASSERT_NE(mv, nullptr);
  EXPECT_TRUE(needs(mv, kV));
  EXPECT_TRUE(of_kind(c, Kind::rule).empty()) << "a view's _RETURN rule is the view itself";
}

TEST_F(ExtraCatalog, InternalTriggersAndPartitionClonesAreLeftOut) {
  exec(std::string(kBase) +
       "CREATE TABLE app.child (id integer REFERENCES app.t, u integer UNIQUE DEFERRABLE INITIALLY DEFERRED);"
       "CREATE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;"
       "CREATE TABLE app.p (id integer) PARTITION BY RANGE (id);"
       "CREATE TABLE app.p1 PARTITION OF app.p FOR VALUES FROM (0) TO (10);"
       "CREATE TABLE app.p2 PARTITION OF app.p FOR VALUES FROM (10) TO (20);"
       "CREATE TRIGGER tr AFTER INSERT ON app.p FOR EACH ROW EXECUTE FUNCTION app.touch();"
       "CREATE CONSTRAINT TRIGGER ct AFTER INSERT ON app.t DEFERRABLE FOR EACH ROW EXECUTE FUNCTION app.touch();");
  Catalog c = read();
  EXPECT_EQ(of_kind(c, Kind::trigger),
            (std::vector<ObjectId>{on_table(Kind::trigger, "app", "p", "tr"), on_table(Kind::trigger, "app", "t", "ct")}));
  EXPECT_TRUE(c.unsupported.empty());
  const Object* ct = c.find(on_table(Kind::trigger, "app", "t", "ct"));
  ASSERT_NE(ct, nullptr);
  EXPECT_NE(ct->attr("definition").find("CREATE CONSTRAINT TRIGGER ct AFTER INSERT ON app.t DEFERRABLE"),
            std::string::npos)
      << ct->attr("definition");

  // A clone switched off on its own partition is an object of its own with that state (written
  // as ALTER TABLE app.p2 DISABLE TRIGGER tr after the parent's trigger).
  exec("ALTER TABLE app.p2 DISABLE TRIGGER tr");
  c = read();
  EXPECT_TRUE(c.unsupported.empty());
  const Object* clone = c.find(on_table(Kind::trigger, "app", "p2", "tr"));
  ASSERT_NE(clone, nullptr);
  EXPECT_EQ(clone->attr("enabled"), "disabled");
  EXPECT_EQ(clone->attr("clone"), "true");
  EXPECT_FALSE(clone->has("definition"));
  EXPECT_NE(std::find(clone->depends_on.begin(), clone->depends_on.end(), on_table(Kind::trigger, "app", "p", "tr")),
            clone->depends_on.end());
}

TEST_F(ExtraCatalog, RolesAreTheOnesReferencedAndTheirGroups) {
  exec(std::string(kBase) + roles({"xa_ref_owner", "xa_ref_grantee", "xa_ref_policy", "xa_ref_group",
                                   "xa_ref_unrelated"}) +
       "ALTER TABLE app.t OWNER TO xa_ref_owner;"
       "CREATE VIEW app.v AS SELECT 1 AS one; GRANT SELECT ON app.v TO xa_ref_grantee;"
       "CREATE POLICY p ON app.t TO xa_ref_policy USING (true);"
       "GRANT xa_ref_group TO xa_ref_grantee;"
       "GRANT pg_read_all_data TO xa_ref_owner;");
  const Catalog c = read();
  std::vector<std::string> names;
  for (const auto& id : of_kind(c, Kind::role)) names.push_back(id.name);
  EXPECT_EQ(names, (std::vector<std::string>{"xa_ref_grantee", "xa_ref_group", "xa_ref_owner", "xa_ref_policy"}));
  const Object* grantee = c.find(global(Kind::role, "xa_ref_grantee"));
  ASSERT_NE(grantee, nullptr);
  EXPECT_EQ(grantee->depends_on, (std::vector<ObjectId>{global(Kind::role, "xa_ref_group")}));
  EXPECT_EQ(c.find(global(Kind::role, "xa_ref_owner"))->attr("member_of"), "pg_read_all_data");
  EXPECT_EQ(c.find(global(Kind::role, "xa_ref_owner"))->attributes.count("password"), 0U);
}

TEST_F(ExtraCatalog, OptionsSwitchOffOwnershipPrivilegesAndComments) {
  exec(kView + roles({"xa_opt_reader"}) +
       "COMMENT ON VIEW app.v IS 'c'; COMMENT ON COLUMN app.v.v IS 'cc'; GRANT SELECT ON app.v TO xa_opt_reader;"
       "ALTER DEFAULT PRIVILEGES IN SCHEMA app GRANT SELECT ON TABLES TO xa_opt_reader;");
  IntrospectOptions options;
  options.ownership = false;
  options.privileges = false;
  options.comments = false;
  const Catalog c = read(options);
  const Object* v = c.find(kV);
  ASSERT_NE(v, nullptr);
  for (const auto& [name, value] : v->attributes) {
    EXPECT_TRUE(name == "definition") << name << " = " << value;
  }
  EXPECT_TRUE(of_kind(c, Kind::default_privilege).empty());
  EXPECT_TRUE(c.find(global(Kind::role, "xa_opt_reader")) == nullptr);
}

TEST_F(ExtraCatalog, SchemaOptionsSelectWhatIsRead) {
  exec(kView + "CREATE SCHEMA other; CREATE VIEW other.w AS SELECT 1 AS one;"
               "CREATE OPERATOR other.=== (LEFTARG = integer, RIGHTARG = integer, FUNCTION = int4eq);");
  IntrospectOptions options;
  options.exclude_schemas = {"oth*"};
  const Catalog c = read(options);
  EXPECT_EQ(of_kind(c, Kind::view), (std::vector<ObjectId>{kV}));
  EXPECT_TRUE(of_kind(c, Kind::operator_).empty());
  EXPECT_TRUE(c.unsupported.empty());
}

TEST_F(ExtraCatalog, TextSearchOperatorsAndCastsWithWhatDependsOnThem) {
  exec("CREATE EXTENSION unaccent; CREATE SCHEMA app;"
       "CREATE TEXT SEARCH DICTIONARY app.unaccent_dict (TEMPLATE = unaccent, RULES = 'unaccent');"
       "CREATE TEXT SEARCH CONFIGURATION app.simple_en (COPY = english);"
       "ALTER TEXT SEARCH CONFIGURATION app.simple_en ALTER MAPPING FOR hword, hword_part, word "
       "WITH app.unaccent_dict, english_stem;"
       // The negator does not exist: the server makes it as a shell operator.
       "CREATE OPERATOR app.=== (LEFTARG = integer, RIGHTARG = integer, FUNCTION = int4eq, NEGATOR = OPERATOR(app.!==));"
       "CREATE OPERATOR app.~~~ (RIGHTARG = integer, FUNCTION = int4abs);"
       "CREATE TYPE app.amount AS (cents integer);"
       "CREATE FUNCTION app.amount_text(app.amount) RETURNS text LANGUAGE sql IMMUTABLE AS 'SELECT ($1).cents::text';"
       "CREATE CAST (app.amount AS text) WITH FUNCTION app.amount_text(app.amount) AS ASSIGNMENT;"
       "CREATE CAST (bytea AS text) WITHOUT FUNCTION;"
       "CREATE TYPE app.span AS RANGE (subtype = integer);"
       "CREATE TABLE app.doc (id integer PRIMARY KEY, body text, a integer, b integer,"
       "  tsv tsvector GENERATED ALWAYS AS (to_tsvector('app.simple_en'::regconfig, body)) STORED);"
       "CREATE INDEX doc_same ON app.doc ((a OPERATOR(app.===) b));");
  const Catalog c = read();
  for (const auto& u : c.unsupported) ADD_FAILURE() << "reported: " << u.kind << " " << u.identity;
  auto needs = [](const Object* o, const ObjectId& id) {
    return std::find(o->depends_on.begin(), o->depends_on.end(), id) != o->depends_on.end();
  };

  // unaccent's own dictionary is the extension's; pg_catalog's are built in.
  const ObjectId dict = in_schema(Kind::text_search_dictionary, "app", "unaccent_dict");
  EXPECT_EQ(of_kind(c, Kind::text_search_dictionary), (std::vector<ObjectId>{dict}));
  const Object* d = c.find(dict);
  ASSERT_NE(d, nullptr);
  EXPECT_EQ(d->attr("template"), "public.unaccent");
  EXPECT_EQ(d->attr("options"), "rules = 'unaccent'");
  EXPECT_TRUE(needs(d, global(Kind::extension, "unaccent"))) << "the template is the extension's";

  const ObjectId config = in_schema(Kind::text_search_configuration, "app", "simple_en");
  const Object* cfg = c.find(config);
  ASSERT_NE(cfg, nullptr);
  EXPECT_EQ(cfg->attr("parser"), "pg_catalog.\"default\"");
  EXPECT_EQ(cfg->attr("mapping:word"), "app.unaccent_dict, english_stem");
  EXPECT_EQ(cfg->attr("mapping:asciiword"), "english_stem");
  EXPECT_EQ(cfg->attr("mapping:email"), "simple");
  EXPECT_TRUE(needs(cfg, dict));
  const Object* tsv = c.find(on_table(Kind::column, "app", "doc", "tsv"));
  ASSERT_NE(tsv, nullptr);
  EXPECT_TRUE(needs(tsv, config)) << "the generated expression names the configuration";

  // The shell operator the negator made is left out: the CREATE of app.=== makes it again.
  const ObjectId same = in_schema(Kind::operator_, "app", "===", "integer, integer");
  const ObjectId prefix = in_schema(Kind::operator_, "app", "~~~", "NONE, integer");
  EXPECT_EQ(of_kind(c, Kind::operator_), (std::vector<ObjectId>{same, prefix}));
  EXPECT_EQ(c.find(same)->attr("negator"), "app.!==");
  EXPECT_FALSE(c.find(prefix)->has("left"));
  EXPECT_EQ(schemakit::catalog::display_name(prefix), "app.~~~(NONE, integer)");
  bool index_found = false;
  for (const auto& o : c.objects) {
    if (o.id.kind != Kind::index || o.id.name != "doc_same") continue;
    index_found = true;
    EXPECT_TRUE(needs(&o, same)) << "the index expression uses the operator";
  }
  EXPECT_TRUE(index_found);

  // The range type's casts to its multirange are internal parts of the type.
  const ObjectId amount_cast{Kind::cast, "", "", "app.amount", "text"};
  const ObjectId binary_cast{Kind::cast, "", "", "bytea", "text"};
  EXPECT_EQ(of_kind(c, Kind::cast), (std::vector<ObjectId>{amount_cast, binary_cast}));
  const Object* cast = c.find(amount_cast);
  EXPECT_EQ(cast->attr("function"), "app.amount_text(app.amount)");
  EXPECT_EQ(cast->attr("context"), "assignment");
  EXPECT_TRUE(needs(cast, in_schema(Kind::function, "app", "amount_text", "app.amount")));
  EXPECT_TRUE(needs(cast, in_schema(Kind::composite_type, "app", "amount")));
  EXPECT_EQ(c.find(binary_cast)->attr("method"), "binary");
  EXPECT_FALSE(c.find(binary_cast)->has("function"));
  EXPECT_EQ(schemakit::catalog::display_name(binary_cast), "(bytea AS text)");
}

TEST_F(ExtraCatalog, EverythingElseIsReportedUnsupported) {
  exec(std::string(kBase) + roles({"xa_um_user"}) +
       "CREATE TEXT SEARCH PARSER app.prs (START = prsd_start, GETTOKEN = prsd_nexttoken, END = prsd_end,"
       "  LEXTYPES = prsd_lextype);"
       "CREATE TEXT SEARCH TEMPLATE app.tmpl (LEXIZE = dsimple_lexize);"
       "CREATE OPERATOR CLASS app.opc FOR TYPE integer USING btree AS OPERATOR 1 <, FUNCTION 1 btint4cmp(integer, integer);"
       "CREATE OPERATOR FAMILY app.fam USING hash;"
       "CREATE FUNCTION app.h(internal) RETURNS index_am_handler LANGUAGE internal AS 'bthandler';"
       "CREATE ACCESS METHOD xa_am TYPE INDEX HANDLER app.h;"
       "CREATE FOREIGN DATA WRAPPER xa_fdw;"
       "CREATE SERVER xa_um_srv FOREIGN DATA WRAPPER xa_fdw;"
       // One without a password is an attribute of its server (user_mapping:<role>).
       "CREATE USER MAPPING FOR xa_um_user SERVER xa_um_srv OPTIONS (password 'secret');"
       "CREATE TYPE app.shell;"
       "CREATE CONVERSION app.conv FOR 'LATIN1' TO 'UTF8' FROM iso8859_1_to_utf8;"
       "SELECT lo_create(0);");
  const Catalog c = read();
  std::vector<std::string> kinds;
  for (const auto& u : c.unsupported) kinds.push_back(u.kind + " " + u.identity);
  for (const char* expected :
       {"text search parser app.prs", "text search template app.tmpl",
        "operator class app.opc USING btree", "operator family app.fam USING hash",
        "access method xa_am", "foreign-data wrapper xa_fdw", "user mapping FOR xa_um_user SERVER xa_um_srv",
        "type app.shell", "conversion app.conv", "large objects 1 large object(s)"}) {
    EXPECT_NE(std::find(kinds.begin(), kinds.end(), expected), kinds.end()) << "not reported: " << expected;
  }
  // The family CREATE OPERATOR CLASS made beside the class is part of the class's entry (one
  // statement, one entry), its members counted in the class's state.
  EXPECT_EQ(std::find(kinds.begin(), kinds.end(), "operator family app.opc USING btree"), kinds.end());
  for (const auto& u : c.unsupported) {
    if (u.kind == "operator class") {
      EXPECT_NE(u.reason.find("FAMILY app.opc 2 members"), std::string::npos) << u.reason;
    }
  }
  // The server itself is modelled (and the function app.h is a function).
  EXPECT_NE(c.find(global(Kind::foreign_server, "xa_um_srv")), nullptr);
}

// The database's comment and privileges are modelled (Kind::database), not reported.
TEST_F(ExtraCatalog, DatabaseCommentAndPrivilegesAreModelled) {
  exec(std::string(kBase) + roles({"xa_dbm_user"}) + on_this_database("COMMENT ON DATABASE %I IS ''mine''") +
       on_this_database("GRANT CREATE ON DATABASE %I TO xa_dbm_user"));
  const Catalog c = read();
  const Object* database = c.find(kThisDatabase);
  ASSERT_NE(database, nullptr);
  EXPECT_EQ(database->attr("comment"), "mine");
  EXPECT_NE(database->attr("privileges").find("xa_dbm_user=C/"), std::string::npos) << database->attr("privileges");
  for (const auto& u : c.unsupported) EXPECT_EQ(u.kind.rfind("database", 0), std::string::npos) << u.kind;
  EXPECT_EQ(schemakit::catalog::display_name(kThisDatabase), "(current database)");
}

// Nothing can make a database's ACL NULL again: one that holds exactly the built-in defaults
// (PUBLIC CONNECT and TEMPORARY, the owner everything), in whatever order, is the defaults, and a
// database with nothing else set is no object.
TEST_F(ExtraCatalog, DatabaseAclEqualToTheDefaultsIsTheDefaults) {
  exec(on_this_database("REVOKE ALL ON DATABASE %I FROM PUBLIC") +
       on_this_database("GRANT TEMPORARY, CONNECT ON DATABASE %I TO PUBLIC"));
  ASSERT_EQ(scalar("SELECT datacl IS NOT NULL FROM pg_database WHERE datname = current_database()"), "t");
  EXPECT_EQ(read().find(kThisDatabase), nullptr);
  exec(on_this_database("COMMENT ON DATABASE %I IS ''x''"));
  const Catalog c = read();
  ASSERT_NE(c.find(kThisDatabase), nullptr);
  EXPECT_EQ(c.find(kThisDatabase)->attr("privileges"), "");
  EXPECT_FALSE(c.find(kThisDatabase)->has("connection_limit"));
}

// A role that only the database's ACL names is read (to be created by a script), and the
// database waits for it.
TEST_F(ExtraCatalog, RoleGrantedOnlyOnTheDatabaseIsRead) {
  exec(roles({"xa_db_connect_only"}) + on_this_database("GRANT CONNECT ON DATABASE %I TO xa_db_connect_only"));
  const Catalog c = read();
  const ObjectId role = global(Kind::role, "xa_db_connect_only");
  EXPECT_NE(c.find(role), nullptr);
  ASSERT_NE(c.find(kThisDatabase), nullptr);
  const auto& deps = c.find(kThisDatabase)->depends_on;
  EXPECT_NE(std::find(deps.begin(), deps.end(), role), deps.end());
  // Read with privileges off, the grant names nothing.
  IntrospectOptions options;
  options.privileges = false;
  const Catalog without = read(options);
  EXPECT_EQ(without.find(role), nullptr);
  EXPECT_EQ(without.find(kThisDatabase), nullptr);
}

TEST_F(ExtraCatalog, DefaultPrivilegesOfEveryObjectType) {
  exec(std::string(kBase) + roles({"xa_dpt_owner", "xa_dpt_user"}) +
       "ALTER DEFAULT PRIVILEGES FOR ROLE xa_dpt_owner GRANT SELECT ON TABLES TO xa_dpt_user;"
       "ALTER DEFAULT PRIVILEGES FOR ROLE xa_dpt_owner GRANT USAGE ON SEQUENCES TO xa_dpt_user;"
       "ALTER DEFAULT PRIVILEGES FOR ROLE xa_dpt_owner REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;"
       "ALTER DEFAULT PRIVILEGES FOR ROLE xa_dpt_owner REVOKE USAGE ON TYPES FROM PUBLIC;"
       "ALTER DEFAULT PRIVILEGES FOR ROLE xa_dpt_owner GRANT CREATE ON SCHEMAS TO xa_dpt_user;");
  const Catalog c = read();
  std::vector<std::string> seen;
  for (const auto& id : of_kind(c, Kind::default_privilege)) {
    seen.push_back(id.name + " / " + c.find(id)->attr("object_type") + " / " + c.find(id)->attr("privileges"));
  }
  EXPECT_EQ(seen, (std::vector<std::string>{
                      "FOR ROLE xa_dpt_owner ON FUNCTIONS / functions / {xa_dpt_owner=X/xa_dpt_owner}",
                      "FOR ROLE xa_dpt_owner ON SCHEMAS / schemas / {xa_dpt_owner=UC/xa_dpt_owner,xa_dpt_user=C/xa_dpt_owner}",
                      "FOR ROLE xa_dpt_owner ON SEQUENCES / sequences / "
                      "{xa_dpt_owner=rwU/xa_dpt_owner,xa_dpt_user=U/xa_dpt_owner}",
                      "FOR ROLE xa_dpt_owner ON TABLES / tables / "
                      "{xa_dpt_owner=arwdDxt/xa_dpt_owner,xa_dpt_user=r/xa_dpt_owner}",
                      "FOR ROLE xa_dpt_owner ON TYPES / types / {xa_dpt_owner=U/xa_dpt_owner}",
                  }));
}

}  // namespace
