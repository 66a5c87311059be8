#pragma once
// Attribute names for what every new database has before the first migration runs (its start
// state: the `public` schema, the plpgsql extension and its language) and for the members of
// extensions. Filled by lib/introspect/kinds/core_schemas.cpp and lib/squash/scope.cpp, read by
// lib/ddl (kinds/core_schemas.cpp, script.cpp), compared by the diff. docs/catalog.md.
//
// Such objects are never created or dropped by a script: up.sql writes what the migrations
// changed on them (owner, privileges, comment), down.sql puts back what a new database has.
namespace schemakit::catalog::attr {

// extension: "true" for an extension that initdb made (plpgsql, OID below FirstNormalObjectId).
// Modelled only when its members' privileges changed.
inline constexpr const char* start_state = "start_state";

// schema public (only made by squash's migrations_part): "true" when the migrations dropped the
// schema that every new database has and did not make it again.
inline constexpr const char* dropped = "dropped";

// extension: one attribute per member whose privileges differ from what CREATE EXTENSION left
// (the member's pg_init_privs entry, else its kind's built-in default), as pg_dump compares them.
// The name goes on with the member as GRANT names it ("FUNCTION public.gen_salt(text)",
// "TABLE public.t", "SEQUENCE ...", "TYPE ...", "SCHEMA ...", "LANGUAGE ...",
// "FOREIGN DATA WRAPPER ...", "FOREIGN SERVER ...", and for a column of a member table
// "COLUMN <column> OF TABLE public.t"). The value holds both normalized ACLs (ddl/privileges.hpp,
// the built-in default written out), so that one change is one difference:
// "{now} (after CREATE EXTENSION: {initial})". The attribute belongs to the privileges family
// ("privileges.<detail>"): --ignore-privileges leaves it out.
inline constexpr const char* member_privileges_prefix = "privileges.member:";
inline constexpr const char* member_privileges_initial = " (after CREATE EXTENSION: ";

}  // namespace schemakit::catalog::attr
