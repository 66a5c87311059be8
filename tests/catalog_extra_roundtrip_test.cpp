// Round trips for the catalog-extra kinds: build a schema in database A, introspect it, write it
// out with the script emitter (lib/ddl/script.hpp), apply up.sql to an empty database B,
// introspect B: the two models must be equal (identities, attributes, dependencies, unsupported
// list). Then down.sql must leave B as it was before, and up.sql must apply again.
#include <gtest/gtest.h>

#include <fmt/core.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "catalog/model.hpp"
#include "ddl/quote.hpp"
#include "ddl/script.hpp"
#include "introspect/introspect.hpp"
#include "pg/connection.hpp"
#include "support/server_fixture.hpp"
#include "support/test_paths.hpp"

namespace {

using schemakit::catalog::Catalog;
using schemakit::catalog::Kind;
using schemakit::catalog::Object;
using schemakit::catalog::ObjectId;

std::string describe(const Object& o) {
  std::string out = fmt::format("{} {}\n", schemakit::catalog::to_string(o.id.kind), schemakit::catalog::display_name(o.id));
  for (const auto& [name, value] : o.attributes) out += fmt::format("    {} = {}\n", name, value);
  for (const auto& dep : o.depends_on) {
    out += fmt::format("    -> {} {}\n", schemakit::catalog::to_string(dep.kind), schemakit::catalog::display_name(dep));
  }
  return out;
}

// Every difference between two models, one entry each; empty when equal.
std::vector<std::string> differences(const Catalog& a, const Catalog& b) {
  std::vector<std::string> out;
  std::map<ObjectId, const Object*> in_b;
  for (const auto& o : b.objects) in_b[o.id] = &o;
  for (const auto& o : a.objects) {
    auto it = in_b.find(o.id);
    if (it == in_b.end()) {
      out.push_back("only in A: " + describe(o));
      continue;
    }
    const Object& other = *it->second;
    in_b.erase(it);
    std::set<std::string> names;
    for (const auto& [name, value] : o.attributes) names.insert(name);
    for (const auto& [name, value] : other.attributes) names.insert(name);
    for (const auto& name : names) {
      if (o.has(name) != other.has(name) || o.attr(name) != other.attr(name)) {
        out.push_back(fmt::format("{} {}: {}: A [{}] B [{}]", schemakit::catalog::to_string(o.id.kind),
                                  schemakit::catalog::display_name(o.id), name, o.has(name) ? o.attr(name) : "<absent>",
                                  other.has(name) ? other.attr(name) : "<absent>"));
      }
    }
    if (o.depends_on != other.depends_on) out.push_back("dependencies differ:\nA: " + describe(o) + "B: " + describe(other));
  }
  for (const auto& [id, o] : in_b) out.push_back("only in B: " + describe(*o));
  if (a.unsupported != b.unsupported) out.push_back("the unsupported lists differ");
  return out;
}

size_t count(const Catalog& catalog, Kind kind) {
  size_t n = 0;
  for (const auto& o : catalog.objects) n += o.id.kind == kind ? 1 : 0;
  return n;
}

// The schema as pg_dump sees it: an oracle independent of the model.
std::string schema_dump(const std::string& conninfo) {
  return schemakit::testing::pg_dump_text(conninfo, "--schema-only");
}

class ExtraRoundTrip : public schemakit::testing::ServerTest {
 protected:
  static Catalog read(const std::string& conninfo) { return schemakit::introspect::introspect(conninfo, {}); }
  // Runs a script; a failure shows the server's message and the script with line numbers.
  static void apply(const std::string& conninfo, const std::string& sql) {
    schemakit::pg::Session session(conninfo, "schemakit-test");
    try {
      session.exec(sql);
    } catch (const schemakit::pg::ExecError& e) {
      std::string numbered;
      size_t line = 1, at = 0;
      while (at < sql.size()) {
        size_t end = sql.find('\n', at);
        if (end == std::string::npos) end = sql.size();
        numbered += fmt::format("{:5} {}\n", line++, sql.substr(at, end - at));
        at = end + 1;
      }
      FAIL() << schemakit::pg::format_diagnostics(e.diagnostics()) << "\nat character " << e.diagnostics().position
             << " of:\n" << numbered;
    }
  }

  // Builds `setup` in this test's database and proves the round trip; returns A's model.
  // `after_reading_a` runs on A once its model and scripts are made.
  Catalog round_trip(const std::string& setup, const std::string& after_reading_a = "") {
    exec(setup);
    const Catalog a = read(conninfo());
    schemakit::ddl::ScriptOptions options;
    options.with_data = false;
    const schemakit::ddl::Script script = schemakit::ddl::write_script(a, nullptr, options);
    const std::string dump_a = schema_dump(conninfo());
    if (!after_reading_a.empty()) exec(after_reading_a);
    const std::string b_conninfo = make_database("b");
    const Catalog empty = read(b_conninfo);

    apply(b_conninfo, script.up);
    if (HasFatalFailure()) return a;
    const Catalog b = read(b_conninfo);
    for (const auto& difference : differences(a, b)) ADD_FAILURE() << difference;
    if (HasFailure()) ADD_FAILURE() << "up.sql was:\n" << script.up;
    EXPECT_EQ(dump_a, schema_dump(b_conninfo)) << "pg_dump --schema-only differs";

    apply(b_conninfo, script.down);
    if (HasFatalFailure()) return a;
    for (const auto& difference : differences(empty, read(b_conninfo))) ADD_FAILURE() << "after down: " << difference;
    if (HasFailure()) ADD_FAILURE() << "down.sql was:\n" << script.down;

    apply(b_conninfo, script.up);
    EXPECT_TRUE(differences(a, read(b_conninfo)).empty()) << "up.sql after down.sql differs";
    up_ = script.up;
    return a;
  }

  std::string up_;
};

// Roles are shared by the server: made only when missing.
std::string roles(std::initializer_list<const char*> names) {
  std::string sql;
  for (const char* name : names) {
    sql += fmt::format(
        "DO $r$BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = {0}) THEN CREATE ROLE {1}; END IF; "
        "END$r$;\n",
        schemakit::ddl::quote_literal(name), schemakit::ddl::quote_ident(name));
  }
  return sql;
}

const char* const kEveryKind = R"sql(
CREATE EXTENSION postgres_fdw;
CREATE SCHEMA app;
CREATE SCHEMA feed;
CREATE TABLE app.t (id integer PRIMARY KEY, v text, k integer);
CREATE TABLE app.log (id integer, at timestamptz DEFAULT now());
CREATE TABLE app.parts (id integer NOT NULL, v text) PARTITION BY RANGE (id);
CREATE TABLE app.parts_low PARTITION OF app.parts FOR VALUES FROM (0) TO (100);
CREATE TABLE feed.items (id integer PRIMARY KEY);
ALTER TABLE app.t OWNER TO xe_owner;

-- functions, procedures, aggregates
CREATE FUNCTION app.f(a integer, b text DEFAULT 'x') RETURNS integer LANGUAGE sql STABLE AS 'SELECT a';
CREATE FUNCTION app.f(a text) RETURNS text LANGUAGE sql IMMUTABLE STRICT AS 'SELECT a';
CREATE FUNCTION app.rows_of_t() RETURNS SETOF app.t LANGUAGE sql AS 'SELECT * FROM app.t';
CREATE FUNCTION app.count_t() RETURNS bigint LANGUAGE sql BEGIN ATOMIC SELECT count(*) FROM app.t; END;
CREATE FUNCTION app.secure() RETURNS integer LANGUAGE plpgsql SECURITY DEFINER SET search_path = app
  COST 50 AS $$BEGIN RETURN 1; END$$;
ALTER FUNCTION app.secure() OWNER TO xe_owner;
REVOKE EXECUTE ON FUNCTION app.secure() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION app.secure() TO xe_reader;
COMMENT ON FUNCTION app.f(integer, text) IS 'the f';
CREATE PROCEDURE app.p(IN a integer, OUT b integer) LANGUAGE plpgsql AS $$BEGIN b := a; END$$;
COMMENT ON PROCEDURE app.p(integer) IS 'the p';
CREATE FUNCTION app.add(integer, integer) RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT $1 + $2';
CREATE FUNCTION app.fin(integer) RETURNS integer LANGUAGE sql IMMUTABLE AS 'SELECT $1 * 2';
CREATE AGGREGATE app.total(integer) (SFUNC = app.add, STYPE = integer, INITCOND = '0', FINALFUNC = app.fin,
  COMBINEFUNC = app.add, MSFUNC = int4pl, MINVFUNC = int4mi, MSTYPE = integer, MINITCOND = '0', PARALLEL = SAFE);
CREATE AGGREGATE app.biggest(integer) (SFUNC = int4larger, STYPE = integer, SORTOP = >);
CREATE AGGREGATE app.joined(text) (SFUNC = textcat, STYPE = text, INITCOND = '');
CREATE AGGREGATE app.rows_seen(*) (SFUNC = int8inc, STYPE = bigint, INITCOND = '0');
CREATE AGGREGATE app.rk(VARIADIC "any" ORDER BY VARIADIC "any") (SFUNC = ordered_set_transition_multi,
  STYPE = internal, FINALFUNC = rank_final, FINALFUNC_EXTRA, HYPOTHETICAL);
CREATE AGGREGATE app.avg_n(numeric) (SFUNC = numeric_avg_accum, STYPE = internal, FINALFUNC = numeric_avg,
  COMBINEFUNC = numeric_avg_combine, SERIALFUNC = numeric_avg_serialize, DESERIALFUNC = numeric_avg_deserialize);
COMMENT ON AGGREGATE app.total(integer) IS 'sums';
ALTER AGGREGATE app.total(integer) OWNER TO xe_owner;
REVOKE EXECUTE ON FUNCTION app.rows_seen() FROM PUBLIC;

-- views and materialized views
CREATE VIEW app.v WITH (security_barrier = true) AS SELECT id, v, app.f(id) AS fv FROM app.t WHERE id > 0
  WITH LOCAL CHECK OPTION;
ALTER VIEW app.v ALTER COLUMN v SET DEFAULT 'dflt';
COMMENT ON VIEW app.v IS 'positive rows';
COMMENT ON COLUMN app.v.fv IS 'computed';
GRANT SELECT ON app.v TO xe_reader;
GRANT SELECT (id), UPDATE (v) ON app.v TO xe_writer;
CREATE VIEW app.v_invoker WITH (security_invoker = true) AS SELECT * FROM app.v;
CREATE MATERIALIZED VIEW app.mv WITH (fillfactor = 70) AS SELECT id, k FROM app.t;
CREATE UNIQUE INDEX mv_id ON app.mv (id);
CREATE MATERIALIZED VIEW app.mv_empty AS SELECT count(*) AS n FROM app.v WITH NO DATA;
CREATE VIEW app.on_mv AS SELECT id FROM app.mv;
COMMENT ON MATERIALIZED VIEW app.mv IS 'snapshot';
COMMENT ON COLUMN app.mv.k IS 'the k';
ALTER MATERIALIZED VIEW app.mv OWNER TO xe_owner;
GRANT SELECT ON app.mv TO xe_reader;

-- triggers, event triggers, rules, policies
CREATE FUNCTION app.touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
CREATE FUNCTION app.instead() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NULL; END$$;
CREATE TRIGGER t_before BEFORE INSERT OR UPDATE OF v ON app.t FOR EACH ROW WHEN (NEW.id > 0)
  EXECUTE FUNCTION app.touch();
CREATE TRIGGER t_off AFTER DELETE ON app.t FOR EACH STATEMENT EXECUTE FUNCTION app.touch();
ALTER TABLE app.t DISABLE TRIGGER t_off;
CREATE TRIGGER t_replica AFTER INSERT ON app.t FOR EACH ROW EXECUTE FUNCTION app.touch();
ALTER TABLE app.t ENABLE REPLICA TRIGGER t_replica;
CREATE TRIGGER t_always AFTER UPDATE ON app.t REFERENCING NEW TABLE AS fresh FOR EACH STATEMENT
  EXECUTE FUNCTION app.touch();
ALTER TABLE app.t ENABLE ALWAYS TRIGGER t_always;
CREATE CONSTRAINT TRIGGER t_constraint AFTER INSERT ON app.log DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
  EXECUTE FUNCTION app.touch();
CREATE TRIGGER v_instead INSTEAD OF DELETE ON app.v FOR EACH ROW EXECUTE FUNCTION app.instead();
CREATE TRIGGER parts_trigger BEFORE INSERT ON app.parts FOR EACH ROW EXECUTE FUNCTION app.touch();
COMMENT ON TRIGGER t_before ON app.t IS 'touches';
CREATE FUNCTION app.on_ddl() RETURNS event_trigger LANGUAGE plpgsql AS $$BEGIN END$$;
CREATE EVENT TRIGGER xe_watch ON ddl_command_end WHEN TAG IN ('CREATE TABLE', 'ALTER TABLE')
  EXECUTE FUNCTION app.on_ddl();
ALTER EVENT TRIGGER xe_watch DISABLE;
COMMENT ON EVENT TRIGGER xe_watch IS 'watching';
CREATE RULE no_delete AS ON DELETE TO app.log DO INSTEAD NOTHING;
CREATE RULE audit AS ON UPDATE TO app.log DO ALSO INSERT INTO app.log (id) VALUES (NEW.id);
ALTER TABLE app.log DISABLE RULE audit;
COMMENT ON RULE no_delete ON app.log IS 'keep';
ALTER TABLE app.t ENABLE ROW LEVEL SECURITY;
CREATE POLICY mine ON app.t AS RESTRICTIVE FOR UPDATE TO xe_reader, xe_writer USING (k > 0) WITH CHECK (k < 100);
CREATE POLICY everyone ON app.t USING (true);
COMMENT ON POLICY mine ON app.t IS 'only some';

-- statistics, publications
CREATE STATISTICS app.st (ndistinct, dependencies) ON id, k FROM app.t;
ALTER STATISTICS app.st SET STATISTICS 300;
CREATE STATISTICS app.st_expr ON (k * 2), v FROM app.t;
COMMENT ON STATISTICS app.st IS 'correlated';
CREATE PUBLICATION xe_pub FOR TABLE app.t (id, v) WHERE (id > 5), app.log WITH (publish = 'insert, update');
CREATE PUBLICATION xe_pub_schema FOR TABLES IN SCHEMA feed WITH (publish_via_partition_root = true);
CREATE PUBLICATION xe_pub_all FOR ALL TABLES;
COMMENT ON PUBLICATION xe_pub IS 'warehouse';

-- foreign data
CREATE SERVER xe_remote TYPE 'pg' VERSION '15' FOREIGN DATA WRAPPER postgres_fdw
  OPTIONS (host 'db.example', dbname 'x', port '5432');
GRANT USAGE ON FOREIGN SERVER xe_remote TO xe_reader;
COMMENT ON SERVER xe_remote IS 'elsewhere';
CREATE FOREIGN TABLE app.ft (a integer OPTIONS (column_name 'aa') NOT NULL DEFAULT 3, b text COLLATE "C",
  CONSTRAINT a_positive CHECK (a > 0)) SERVER xe_remote OPTIONS (table_name 'remote');
ALTER FOREIGN TABLE app.ft ADD CONSTRAINT b_short CHECK (length(b) < 10) NOT VALID;
COMMENT ON COLUMN app.ft.a IS 'the a';
GRANT SELECT (b) ON app.ft TO xe_reader;
CREATE FOREIGN TABLE app.parts_remote PARTITION OF app.parts FOR VALUES FROM (100) TO (200) SERVER xe_remote;
CREATE TABLE app.base (a integer NOT NULL, b text DEFAULT 'b', "Odd, one" date);
CREATE FOREIGN TABLE app.child (own integer, b text) INHERITS (app.base) SERVER xe_remote;
ALTER FOREIGN TABLE app.child ALTER COLUMN a OPTIONS (column_name 'remote_a');

-- default privileges, settings
ALTER DEFAULT PRIVILEGES FOR ROLE xe_owner GRANT SELECT ON TABLES TO xe_reader;
ALTER DEFAULT PRIVILEGES FOR ROLE xe_owner REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;
ALTER DEFAULT PRIVILEGES FOR ROLE xe_owner IN SCHEMA app GRANT INSERT ON TABLES TO xe_writer WITH GRANT OPTION;
DO $d$BEGIN
  EXECUTE format('ALTER DATABASE %I SET search_path = ''$user'', app, public', current_database());
  EXECUTE format('ALTER DATABASE %I SET work_mem = ''8MB''', current_database());
  EXECUTE format('ALTER ROLE xe_reader IN DATABASE %I SET statement_timeout = ''5s''', current_database());
END$d$;
)sql";

TEST_F(ExtraRoundTrip, EveryKind) {
  const Catalog a = round_trip(roles({"xe_owner", "xe_reader", "xe_writer"}) +
                               "GRANT xe_reader TO xe_writer;\n" + kEveryKind);
  // The fixture covers every kind of the catalog-extra work.
  for (Kind kind : {Kind::role, Kind::database_setting, Kind::function, Kind::procedure, Kind::aggregate,
                    Kind::view, Kind::materialized_view, Kind::trigger, Kind::event_trigger, Kind::rule,
                    Kind::policy, Kind::statistics, Kind::publication, Kind::foreign_server, Kind::foreign_table,
                    Kind::default_privilege}) {
    EXPECT_GT(count(a, kind), 0U) << schemakit::catalog::to_string(kind);
  }
  // pg_dump's way with materialized views: created empty, filled at the end when they were.
  EXPECT_NE(up_.find("REFRESH MATERIALIZED VIEW app.mv;"), std::string::npos);
  EXPECT_EQ(up_.find("REFRESH MATERIALIZED VIEW app.mv_empty"), std::string::npos);
}


// Event triggers that refuse DDL: one on every ddl_command_end, one (ENABLE ALWAYS) on CREATE
// INDEX, one on sql_drop, and a disabled one. Created anywhere but last, the first two would stop
// up.sql at its first index, GRANT, COMMENT, OWNER TO or REFRESH; dropped anywhere but first,
// the third would stop down.sql.
TEST_F(ExtraRoundTrip, EventTriggersAreCreatedLastAndDroppedFirst) {
  const char* const setup = R"sql(
CREATE SCHEMA app;
CREATE TABLE app.t (id integer PRIMARY KEY, v text);
CREATE INDEX t_v ON app.t (v);
CREATE TABLE app.child (id integer REFERENCES app.t);
ALTER TABLE app.t OWNER TO xe_owner;
GRANT SELECT ON app.t TO xe_reader;
COMMENT ON TABLE app.t IS 'refused once the triggers exist';
CREATE MATERIALIZED VIEW app.mv AS SELECT id FROM app.t;
CREATE INDEX mv_id ON app.mv (id);
CREATE FUNCTION app.refuse() RETURNS event_trigger LANGUAGE plpgsql AS
  $$BEGIN RAISE EXCEPTION 'event trigger fired on %', tg_tag; END$$;
CREATE EVENT TRIGGER refuse_any_ddl ON ddl_command_end EXECUTE FUNCTION app.refuse();
CREATE EVENT TRIGGER refuse_index ON ddl_command_end WHEN TAG IN ('CREATE INDEX') EXECUTE FUNCTION app.refuse();
ALTER EVENT TRIGGER refuse_index ENABLE ALWAYS;
CREATE EVENT TRIGGER refuse_drop ON sql_drop EXECUTE FUNCTION app.refuse();
CREATE EVENT TRIGGER refuse_nothing ON ddl_command_start EXECUTE FUNCTION app.refuse();
ALTER EVENT TRIGGER refuse_nothing DISABLE;
COMMENT ON EVENT TRIGGER refuse_drop IS 'no drops';
)sql";
  const Catalog a = round_trip(roles({"xe_owner", "xe_reader"}) + setup);
  EXPECT_EQ(count(a, Kind::event_trigger), 4U);
  // Nothing but event triggers follows the first of them.
  const size_t first = up_.find("CREATE EVENT TRIGGER");
  ASSERT_NE(first, std::string::npos);
  for (const char* earlier : {"CREATE INDEX t_v", "CREATE INDEX mv_id", "GRANT ", "REFRESH MATERIALIZED VIEW", "ADD CONSTRAINT"}) {
    EXPECT_LT(up_.rfind(earlier), first) << earlier;
  }
}

// Quotes, spaces, capitals, reserved words and non-ASCII letters in every name the kinds have.
const char* const kHostile = R"sql(
CREATE EXTENSION postgres_fdw;
CREATE SCHEMA "Odd Schema";
CREATE SCHEMA "select";
ALTER SCHEMA "Odd Schema" OWNER TO "App Owner";
CREATE TABLE "Odd Schema"."Tab le" (id integer PRIMARY KEY, "Col A" text, "select" integer);
ALTER TABLE "Odd Schema"."Tab le" OWNER TO "App Owner";
CREATE FUNCTION "Odd Schema"."Fün c"("Arg" integer, "select" text DEFAULT 'it''s') RETURNS integer
  LANGUAGE sql AS 'SELECT 1';
CREATE FUNCTION "Odd Schema"."Fün c"("Arg" text) RETURNS text LANGUAGE sql AS $$SELECT 'quote '' and $ sign'$$;
CREATE FUNCTION "select"."from"() RETURNS integer LANGUAGE sql AS 'SELECT 2';
CREATE PROCEDURE "Odd Schema"."Pro""c"("In" integer) LANGUAGE sql AS 'SELECT 1';
CREATE FUNCTION "Odd Schema"."Ädd"(integer, integer) RETURNS integer LANGUAGE sql AS 'SELECT $1 + $2';
CREATE AGGREGATE "Odd Schema"."Ag g"(integer) (SFUNC = "Odd Schema"."Ädd", STYPE = integer, INITCOND = '0');
CREATE AGGREGATE "Odd Schema"."Cät"(text) (SFUNC = textcat, STYPE = text, INITCOND = 'it''s ');
COMMENT ON AGGREGATE "Odd Schema"."Ag g"(integer) IS 'it''s an aggregate';
GRANT EXECUTE ON FUNCTION "Odd Schema"."Fün c"(integer, text) TO "Rôle ""One""";

CREATE VIEW "Odd Schema"."Vi ew" WITH (check_option = cascaded) AS
  SELECT id, "Col A", "select" AS "Äl ias" FROM "Odd Schema"."Tab le" WHERE "Col A" <> 'x''y';
ALTER VIEW "Odd Schema"."Vi ew" ALTER COLUMN "Col A" SET DEFAULT 'd''efault';
COMMENT ON COLUMN "Odd Schema"."Vi ew"."Col A" IS 'column''s comment';
GRANT SELECT ("Col A") ON "Odd Schema"."Vi ew" TO "Rôle ""One""";
GRANT SELECT ON "Odd Schema"."Vi ew" TO "select";
ALTER VIEW "Odd Schema"."Vi ew" OWNER TO "App Owner";
CREATE MATERIALIZED VIEW "Odd Schema"."Mat ""View""" AS SELECT "Col A" FROM "Odd Schema"."Tab le";
COMMENT ON COLUMN "Odd Schema"."Mat ""View"""."Col A" IS 'mat';

CREATE FUNCTION "Odd Schema"."Trig fn"() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$;
CREATE TRIGGER "Trig ""gër""" BEFORE UPDATE OF "Col A" ON "Odd Schema"."Tab le" FOR EACH ROW
  EXECUTE FUNCTION "Odd Schema"."Trig fn"();
ALTER TABLE "Odd Schema"."Tab le" DISABLE TRIGGER "Trig ""gër""";
CREATE TRIGGER "In stead" INSTEAD OF INSERT ON "Odd Schema"."Vi ew" FOR EACH ROW
  EXECUTE FUNCTION "Odd Schema"."Trig fn"();
COMMENT ON TRIGGER "In stead" ON "Odd Schema"."Vi ew" IS 'instead''s';
CREATE FUNCTION "Odd Schema"."Ev fn"() RETURNS event_trigger LANGUAGE plpgsql AS $$BEGIN END$$;
CREATE EVENT TRIGGER "Ev ent" ON sql_drop EXECUTE FUNCTION "Odd Schema"."Ev fn"();
CREATE RULE "Rü le" AS ON DELETE TO "Odd Schema"."Tab le" WHERE old."Col A" = 'keep''s' DO INSTEAD NOTHING;
ALTER TABLE "Odd Schema"."Tab le" DISABLE RULE "Rü le";
ALTER TABLE "Odd Schema"."Tab le" ENABLE ROW LEVEL SECURITY;
CREATE POLICY "Pö licy" ON "Odd Schema"."Tab le" TO "Rôle ""One""", "select" USING ("Col A" <> 'n''o');
CREATE STATISTICS "Odd Schema"."Stät" ON id, "select" FROM "Odd Schema"."Tab le";
CREATE PUBLICATION "Pub Lic" FOR TABLE "Odd Schema"."Tab le" ("id", "Col A") WHERE ("Col A" <> 'q''');
CREATE PUBLICATION "select" FOR TABLES IN SCHEMA "Odd Schema";

CREATE SERVER "Sér ver" FOREIGN DATA WRAPPER postgres_fdw OPTIONS (host 'o''brien', "dbname" 'a b');
CREATE FOREIGN TABLE "Odd Schema"."För eign" ("Cöl" integer OPTIONS (column_name 'x''y'), "select" text)
  SERVER "Sér ver" OPTIONS (table_name 'T ''1''');
COMMENT ON COLUMN "Odd Schema"."För eign"."Cöl" IS 'foreign''s';

ALTER DEFAULT PRIVILEGES FOR ROLE "App Owner" IN SCHEMA "Odd Schema" GRANT SELECT ON TABLES TO "Rôle ""One""";
ALTER DEFAULT PRIVILEGES FOR ROLE "App Owner" GRANT USAGE ON SEQUENCES TO "select" WITH GRANT OPTION;
DO $d$BEGIN
  EXECUTE format('ALTER DATABASE %I SET search_path = "Odd Schema", "select", public', current_database());
  EXECUTE format('ALTER DATABASE %I SET "my.Setting" = %L', current_database(), 'it''s "quoted", with commas');
  EXECUTE format('ALTER ROLE %I IN DATABASE %I SET search_path = ''$user''', 'Rôle "One"', current_database());
END$d$;
)sql";

TEST_F(ExtraRoundTrip, HostileNames) {
  round_trip(roles({"App Owner", "Rôle \"One\"", "select"}) + kHostile);
}

// Text search dictionaries and configurations, operators and casts, with what uses them: a
// generated tsvector column through a configuration that maps to an extension's dictionary
// template, an index on an operator expression, a view that uses a cast and an operator. Names
// are hostile too.
const char* const kTextSearchOperatorsCasts = R"sql(
CREATE EXTENSION unaccent;
CREATE SCHEMA "Odd Schema";
CREATE TEXT SEARCH DICTIONARY "Odd Schema"."Dïct ""x""" (TEMPLATE = unaccent, RULES = 'unaccent');
CREATE TEXT SEARCH DICTIONARY "Odd Schema".stem (TEMPLATE = snowball, Language = english, StopWords = english);
ALTER TEXT SEARCH DICTIONARY "Odd Schema".stem OWNER TO "App Owner";
COMMENT ON TEXT SEARCH DICTIONARY "Odd Schema".stem IS 'it''s english';
CREATE TEXT SEARCH CONFIGURATION "Odd Schema"."Cön fig" (COPY = english);
ALTER TEXT SEARCH CONFIGURATION "Odd Schema"."Cön fig" ALTER MAPPING FOR hword, hword_part, word
  WITH "Odd Schema"."Dïct ""x""", "Odd Schema".stem;
ALTER TEXT SEARCH CONFIGURATION "Odd Schema"."Cön fig" DROP MAPPING FOR email;
ALTER TEXT SEARCH CONFIGURATION "Odd Schema"."Cön fig" OWNER TO "App Owner";
CREATE TEXT SEARCH CONFIGURATION "Odd Schema".bare (PARSER = default);
COMMENT ON TEXT SEARCH CONFIGURATION "Odd Schema".bare IS 'no mappings';

CREATE FUNCTION "Odd Schema"."Eq fn"(integer, integer) RETURNS boolean LANGUAGE sql IMMUTABLE AS 'SELECT $1 = $2';
CREATE OPERATOR "Odd Schema".=== (LEFTARG = integer, RIGHTARG = integer, FUNCTION = "Odd Schema"."Eq fn",
  COMMUTATOR = OPERATOR("Odd Schema".===), NEGATOR = OPERATOR("Odd Schema".!==), RESTRICT = eqsel,
  JOIN = eqjoinsel, HASHES, MERGES);
CREATE OPERATOR "Odd Schema".!== (LEFTARG = integer, RIGHTARG = integer, FUNCTION = int4ne);
CREATE OPERATOR "Odd Schema".~~~ (RIGHTARG = integer, FUNCTION = int4abs);
ALTER OPERATOR "Odd Schema".~~~ (NONE, integer) OWNER TO "App Owner";
COMMENT ON OPERATOR "Odd Schema".=== (integer, integer) IS 'same''s';

CREATE TYPE "Odd Schema"."Ty pe" AS (cents integer);
CREATE FUNCTION "Odd Schema"."To text"("Odd Schema"."Ty pe") RETURNS text LANGUAGE sql IMMUTABLE
  AS 'SELECT ($1).cents::text';
CREATE CAST ("Odd Schema"."Ty pe" AS text) WITH FUNCTION "Odd Schema"."To text"("Odd Schema"."Ty pe") AS IMPLICIT;
CREATE CAST ("Odd Schema"."Ty pe" AS integer) WITH INOUT AS ASSIGNMENT;
CREATE CAST (bytea AS text) WITHOUT FUNCTION;
COMMENT ON CAST (bytea AS text) IS 'raw''s';

CREATE TABLE "Odd Schema".doc (id integer PRIMARY KEY, body text, a integer, b integer, price "Odd Schema"."Ty pe",
  tsv tsvector GENERATED ALWAYS AS (to_tsvector('"Odd Schema"."Cön fig"'::regconfig, body)) STORED);
CREATE INDEX doc_same ON "Odd Schema".doc ((a OPERATOR("Odd Schema".===) b));
CREATE INDEX doc_tsv ON "Odd Schema".doc USING gin (tsv);
CREATE VIEW "Odd Schema".priced AS
  SELECT id, price::text AS shown FROM "Odd Schema".doc WHERE a OPERATOR("Odd Schema".!==) b;
)sql";

TEST_F(ExtraRoundTrip, TextSearchOperatorsAndCasts) {
  const Catalog a = round_trip(roles({"App Owner"}) + kTextSearchOperatorsCasts);
  EXPECT_EQ(count(a, Kind::text_search_dictionary), 2U);
  EXPECT_EQ(count(a, Kind::text_search_configuration), 2U);
  EXPECT_EQ(count(a, Kind::operator_), 3U);
  EXPECT_EQ(count(a, Kind::cast), 3U);
  EXPECT_TRUE(a.unsupported.empty());
}


// Roles are made only when missing: here they are gone by the time up.sql runs, and come back
// with their attributes, memberships and comments.
TEST_F(ExtraRoundTrip, MissingRolesAreCreated) {
  const char* const setup = R"sql(
CREATE ROLE "xe Gone Group" NOLOGIN;
CREATE ROLE "xe Gone Owner" LOGIN CREATEDB NOINHERIT CONNECTION LIMIT 3 VALID UNTIL '2040-05-06 07:08:09+00';
GRANT "xe Gone Group" TO "xe Gone Owner" WITH ADMIN OPTION;
COMMENT ON ROLE "xe Gone Owner" IS 'gone''s';
CREATE SCHEMA app;
CREATE TABLE app.t (id integer);
ALTER TABLE app.t OWNER TO "xe Gone Owner";
GRANT SELECT ON app.t TO "xe Gone Group";
)sql";
  const char* const forget = R"sql(
DROP SCHEMA app CASCADE;
DROP ROLE "xe Gone Owner";
DROP ROLE "xe Gone Group";
)sql";
  const Catalog a = round_trip(setup, forget);
  EXPECT_EQ(count(a, Kind::role), 2U);
  EXPECT_EQ(scalar("SELECT count(*) FROM pg_roles WHERE rolname LIKE 'xe Gone%'"), "2");
}

}  // namespace
