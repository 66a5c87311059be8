#include "introspect/data.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <pqxx/result>
#include <pqxx/transaction>

#include "catalog/core_attributes.hpp"
#include "common/error.hpp"
#include "ddl/quote.hpp"
#include "ddl/script.hpp"
#include "pg/connection.hpp"

namespace schemakit::introspect {
namespace {

constexpr size_t kTablesPerProbe = 500;

struct TablePlan {
  catalog::ObjectId table;
  std::vector<std::string> columns;  // written
  std::vector<std::string> all_columns;  // for ORDER BY when there is no primary key
  bool overriding = false;
};

}  // namespace

ddl::TableData read_table_data(pqxx::connection& connection, const catalog::Catalog& catalog) {
  std::vector<TablePlan> plans;
  for (const auto& object : catalog.objects) {
    if (object.id.kind != catalog::Kind::table || object.has(catalog::attr::table_partition_key)) continue;
    TablePlan plan{object.id, {}, {}, false};
    for (const catalog::Object* child : catalog.children_of(object.id)) {
      if (child->id.kind != catalog::Kind::column) continue;
      plan.all_columns.push_back(child->id.name);
      if (child->has(catalog::attr::column_generated)) continue;
      plan.columns.push_back(child->id.name);
      if (child->attr(catalog::attr::column_identity) == "always") plan.overriding = true;
    }
    plans.push_back(std::move(plan));
  }

  ddl::TableData data;
  std::string doing = "reading table rows";
  try {
    pqxx::transaction<pqxx::repeatable_read, pqxx::read_only> tx(connection, "schemakit-data");
    // The search_path up.sql loads the rows with: values of reg* types are written relative to it,
    // and planning a query on a table with an expression index may inline a function body.
    tx.exec(fmt::format("SELECT pg_catalog.set_config('search_path', {}, true)",
                        tx.quote(ddl::session_search_path(catalog))));
    tx.exec(
        "SET LOCAL TimeZone = 'UTC'; SET LOCAL DateStyle = 'ISO, YMD'; "
        "SET LOCAL IntervalStyle = 'postgres'; SET LOCAL extra_float_digits = 3; "
        "SET LOCAL bytea_output = 'hex'");

    doing = "reading primary keys (pg_constraint)";
    std::map<std::pair<std::string, std::string>, std::vector<std::string>> primary_keys;
    for (const auto& row : tx.exec(
             "SELECT n.nspname, c.relname, (SELECT pg_catalog.json_agg(a.attname ORDER BY k.ord) "
             "FROM pg_catalog.unnest(co.conkey) WITH ORDINALITY k(attnum, ord) "
             "JOIN pg_catalog.pg_attribute a ON a.attrelid = co.conrelid AND a.attnum = k.attnum) "
             "FROM pg_catalog.pg_constraint co JOIN pg_catalog.pg_class c ON c.oid = co.conrelid "
             "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace WHERE co.contype = 'p'")) {
      auto columns = nlohmann::json::parse(row[2].c_str());
      auto& key = primary_keys[{row[0].c_str(), row[1].c_str()}];
      for (const auto& column : columns) key.push_back(column.get<std::string>());
    }

    // Which tables hold rows, a few hundred tables per query.
    std::vector<const TablePlan*> with_rows;
    for (size_t start = 0; start < plans.size(); start += kTablesPerProbe) {
      std::string sql;
      size_t end = std::min(plans.size(), start + kTablesPerProbe);
      for (size_t i = start; i < end; ++i) {
        if (!sql.empty()) sql += " UNION ALL ";
        sql += fmt::format("SELECT {} WHERE EXISTS (SELECT FROM ONLY {})", i,
                           ddl::qualified(plans[i].table.schema, plans[i].table.name));
      }
      doing = "finding the tables that hold rows";
      for (const auto& row : tx.exec(sql)) with_rows.push_back(&plans[row[0].as<size_t>()]);
    }
    std::sort(with_rows.begin(), with_rows.end(),
              [](const TablePlan* a, const TablePlan* b) { return a->table < b->table; });

    std::map<catalog::ObjectId, ddl::TableRows> read;
    for (const TablePlan* plan : with_rows) {
      const std::string name = ddl::qualified(plan->table.schema, plan->table.name);
      std::string select, order;
      for (const auto& column : plan->columns) {
        select += (select.empty() ? "" : ", ") + ddl::quote_ident(column);
      }
      if (select.empty()) select = "NULL";  // a table of generated columns only still has rows
      auto key = primary_keys.find({plan->table.schema, plan->table.name});
      if (key != primary_keys.end()) {
        for (const auto& column : key->second) order += (order.empty() ? "" : ", ") + ddl::quote_ident(column);
      } else {
        for (const auto& column : plan->all_columns) {
          order += (order.empty() ? "" : ", ") + ddl::quote_ident(column) + "::text COLLATE \"C\"";
        }
      }
      doing = "reading the rows of " + name;
      pqxx::result result = tx.exec(fmt::format("SELECT {} FROM ONLY {}{}{}", select, name,
                                                order.empty() ? "" : " ORDER BY ", order));
      ddl::TableRows rows;
      rows.table = plan->table;
      rows.columns = plan->columns;
      rows.overriding_system_value = plan->overriding;
      rows.rows.reserve(result.size());
      for (const auto& row : result) {
        std::vector<std::optional<std::string>> values;
        values.reserve(plan->columns.size());
        for (size_t i = 0; i < plan->columns.size(); ++i) {
          if (row[static_cast<int>(i)].is_null()) {
            values.emplace_back(std::nullopt);
          } else {
            values.emplace_back(std::string(row[static_cast<int>(i)].c_str(), row[static_cast<int>(i)].size()));
          }
        }
        rows.rows.push_back(std::move(values));
      }
      read[plan->table] = std::move(rows);
    }
    tx.commit();

    std::vector<catalog::ObjectId> tables;
    for (const auto& [id, rows] : read) tables.push_back(id);
    for (const auto& id : ddl::load_order(catalog, tables)) data.tables.push_back(std::move(read[id]));
  } catch (const Error&) {
    throw;
  } catch (...) {
    pg::rethrow_as_server_error(doing);
  }
  return data;
}

ddl::TableData read_table_data(const std::string& conninfo, const catalog::Catalog& catalog) {
  auto connection = pg::connect(conninfo, "schemakit");
  return read_table_data(*connection, catalog);
}

}  // namespace schemakit::introspect
