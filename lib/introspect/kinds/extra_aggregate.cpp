// Aggregates (pg_proc prokind a + pg_aggregate). The server has no deparser for CREATE
// AGGREGATE, so each option that pg_aggregate stores becomes its own attribute, named after the
// CREATE AGGREGATE option it is written back as (functions and operators schema-qualified,
// types through format_type):
//   aggregate_kind        normal | ordered_set | hypothetical
//   transition_function   SFUNC          state_type        STYPE        state_space   SSPACE
//   initial_condition     INITCOND (absent when NULL; '' is a value)
//   final_function        FINALFUNC      final_extra       FINALFUNC_EXTRA (true when set)
//   final_modify          FINALFUNC_MODIFY: read_only | shareable | read_write
//   combine_function      COMBINEFUNC    serial_function   SERIALFUNC   deserial_function DESERIALFUNC
//   moving_transition_function MSFUNC    moving_inverse_function MINVFUNC
//   moving_state_type     MSTYPE         moving_state_space MSSPACE
//   moving_final_function MFINALFUNC     moving_final_extra MFINALFUNC_EXTRA
//   moving_final_modify   MFINALFUNC_MODIFY   moving_initial_condition MINITCOND
//   sort_operator         SORTOP, as OPERATOR(schema.op)
//   parallel              safe | restricted | unsafe
// plus owner, privileges, comment. Optional options are absent when not set. The argument list
// (with ORDER BY for ordered-set aggregates) is the identity's signature.
#include <fmt/core.h>

#include "introspect/kinds/common.hpp"

namespace schemakit::introspect::extra {
namespace {

std::string function_name_sql(std::string_view regproc_column) {
  return qualified_name_sql("pg_proc", "proname", "pronamespace", regproc_column);
}

std::string type_name_sql(std::string_view type_column) {
  return fmt::format("CASE WHEN {0} <> 0 THEN pg_catalog.format_type({0}, NULL) END", type_column);
}

std::string modify_sql(std::string_view column) {
  return fmt::format(
      "CASE {} WHEN 'r' THEN 'read_only' WHEN 's' THEN 'shareable' WHEN 'w' THEN 'read_write' END", column);
}

struct Column {
  const char* attribute;
  std::string sql;
};

}  // namespace

void read_aggregates(ReadContext& ctx) {
  const std::vector<Column> columns = {
      {"aggregate_kind",
       "CASE a.aggkind WHEN 'n' THEN 'normal' WHEN 'o' THEN 'ordered_set' WHEN 'h' THEN 'hypothetical' END"},
      {"transition_function", function_name_sql("a.aggtransfn")},
      {"state_type", type_name_sql("a.aggtranstype")},
      {"state_space", "NULLIF(a.aggtransspace, 0)::text"},
      {"initial_condition", "a.agginitval"},
      {"final_function", function_name_sql("a.aggfinalfn")},
      {"final_extra", "CASE WHEN a.aggfinalextra THEN 'true' END"},
      {"final_modify", modify_sql("a.aggfinalmodify")},
      {"combine_function", function_name_sql("a.aggcombinefn")},
      {"serial_function", function_name_sql("a.aggserialfn")},
      {"deserial_function", function_name_sql("a.aggdeserialfn")},
      {"moving_transition_function", function_name_sql("a.aggmtransfn")},
      {"moving_inverse_function", function_name_sql("a.aggminvtransfn")},
      {"moving_state_type", type_name_sql("a.aggmtranstype")},
      {"moving_state_space", "NULLIF(a.aggmtransspace, 0)::text"},
      {"moving_final_function", function_name_sql("a.aggmfinalfn")},
      {"moving_final_extra", "CASE WHEN a.aggmfinalextra THEN 'true' END"},
      // Meaningful only with a moving-aggregate implementation; the server stores a default anyway.
      {"moving_final_modify", "CASE WHEN a.aggmtransfn <> 0 THEN " + modify_sql("a.aggmfinalmodify") + " END"},
      {"moving_initial_condition", "a.aggminitval"},
      {"sort_operator",
       "(SELECT 'OPERATOR(' || pg_catalog.quote_ident(opn.nspname) || '.' || op.oprname || ')' "
       "FROM pg_catalog.pg_operator op JOIN pg_catalog.pg_namespace opn ON opn.oid = op.oprnamespace "
       "WHERE op.oid = a.aggsortop)"},
      {"parallel", "CASE p.proparallel WHEN 's' THEN 'safe' WHEN 'r' THEN 'restricted' ELSE 'unsafe' END"},
  };
  std::string select_list;
  for (const auto& column : columns) select_list += ", " + column.sql;
  const std::string sql = fmt::format(
      "SELECT p.oid, n.nspname, p.proname, pg_catalog.pg_get_function_identity_arguments(p.oid), "
      "{}, {}, {}{} "
      "FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace "
      "JOIN pg_catalog.pg_aggregate a ON a.aggfnoid = p.oid "
      "WHERE {} AND {} ORDER BY 1",
      owner_sql(ctx, "p.proowner"), privileges_sql(ctx, "p.proacl"), comment_sql(ctx, "pg_proc", "p.oid"),
      select_list, ctx.schema_name_filter("n.nspname"), ReadContext::not_extension_member("pg_proc", "p.oid"));
  for (const auto& row : ctx.query(sql, "aggregates (pg_aggregate)")) {
    catalog::Object object;
    object.id.kind = catalog::Kind::aggregate;
    object.id.schema = text(row[1]);
    object.id.name = text(row[2]);
    object.id.signature = text(row[3]);
    set_owner_privileges_comment(object, row, 4);
    for (size_t i = 0; i < columns.size(); ++i) {
      set_if_not_null(object, columns[i].attribute, row[static_cast<int>(7 + i)]);
    }
    ctx.add(std::move(object), {catalog_oid::pg_proc, row[0].as<uint32_t>(), 0});
  }
}

}  // namespace schemakit::introspect::extra
