// Text search dictionaries (pg_ts_dict) and configurations (pg_ts_config), one query each.
// There is no server deparser for either; what pg_dump writes back is read as the server stores
// it.
//
// Dictionary: identity schema + name. Attributes: template (schema-qualified, as SQL), options
// (dictinitoption exactly as stored: "language = 'english', stopwords = 'english'"), owner,
// comment.
//
// Configuration: identity schema + name. Attributes: parser (schema-qualified, as SQL:
// pg_catalog."default"), mapping:<token type> for every token type that has a mapping (the
// dictionaries in the order they are consulted, as regdictionary writes them:
// "app.unaccent_dict, english_stem"), owner, comment.
//
// The dictionaries a configuration maps to, and the template a dictionary uses, are pg_depend
// edges; a template that an extension made lifts to the extension.
#include <fmt/core.h>

#include <nlohmann/json.hpp>

#include "introspect/kinds/common.hpp"

namespace schemakit::introspect::extra {

void read_text_search_dictionaries(ReadContext& ctx) {
  const std::string sql = fmt::format(
      "SELECT td.oid, n.nspname, td.dictname, {}, td.dictinitoption, {}, NULL::text, {} "
      "FROM pg_catalog.pg_ts_dict td JOIN pg_catalog.pg_namespace n ON n.oid = td.dictnamespace "
      "WHERE {} AND {} ORDER BY 1",
      qualified_name_sql("pg_ts_template", "tmplname", "tmplnamespace", "td.dicttemplate"),
      owner_sql(ctx, "td.dictowner"), comment_sql(ctx, "pg_ts_dict", "td.oid"), ctx.schema_name_filter("n.nspname"),
      ReadContext::not_extension_member("pg_ts_dict", "td.oid"));
  for (const auto& row : ctx.query(sql, "text search dictionaries (pg_ts_dict)")) {
    catalog::Object object;
    object.id.kind = catalog::Kind::text_search_dictionary;
    object.id.schema = text(row[1]);
    object.id.name = text(row[2]);
    object.attributes["template"] = text(row[3]);
    set_if_not_empty(object, "options", row[4]);
    set_owner_privileges_comment(object, row, 5);
    ctx.add(std::move(object), {catalog_oid::pg_ts_dict, row[0].as<uint32_t>(), 0});
  }
}

void read_text_search_configurations(ReadContext& ctx) {
  // ts_token_type(parser) names the parser's token types; the mapping's dictionaries are kept
  // in the order the server consults them (mapseqno).
  const std::string sql = fmt::format(
      "SELECT c.oid, n.nspname, c.cfgname, {}, "
      "(SELECT pg_catalog.json_agg(pg_catalog.json_build_array(t.alias, m.dictionaries) ORDER BY t.tokid) "
      "FROM pg_catalog.ts_token_type(c.cfgparser) t JOIN ("
      "SELECT mm.maptokentype, pg_catalog.string_agg(mm.mapdict::pg_catalog.regdictionary::text, ', ' "
      "ORDER BY mm.mapseqno) AS dictionaries FROM pg_catalog.pg_ts_config_map mm WHERE mm.mapcfg = c.oid "
      "GROUP BY mm.maptokentype) m ON m.maptokentype = t.tokid), "
      "{}, NULL::text, {} "
      "FROM pg_catalog.pg_ts_config c JOIN pg_catalog.pg_namespace n ON n.oid = c.cfgnamespace "
      "WHERE {} AND {} ORDER BY 1",
      qualified_name_sql("pg_ts_parser", "prsname", "prsnamespace", "c.cfgparser"), owner_sql(ctx, "c.cfgowner"),
      comment_sql(ctx, "pg_ts_config", "c.oid"), ctx.schema_name_filter("n.nspname"),
      ReadContext::not_extension_member("pg_ts_config", "c.oid"));
  for (const auto& row : ctx.query(sql, "text search configurations (pg_ts_config, pg_ts_config_map)")) {
    catalog::Object object;
    object.id.kind = catalog::Kind::text_search_configuration;
    object.id.schema = text(row[1]);
    object.id.name = text(row[2]);
    object.attributes["parser"] = text(row[3]);
    for (const auto& mapping : json_of(row[4])) {
      object.attributes["mapping:" + mapping[0].get<std::string>()] = mapping[1].get<std::string>();
    }
    set_owner_privileges_comment(object, row, 5);
    ctx.add(std::move(object), {catalog_oid::pg_ts_config, row[0].as<uint32_t>(), 0});
  }
}

}  // namespace schemakit::introspect::extra
