#include "squash/rows.hpp"

#include <fmt/core.h>
#include <map>

#include "ddl/quote.hpp"

namespace schemakit::squash {
namespace {

struct Relation {
  std::string name;  // quoted, qualified
  char kind = 'r';
};

std::vector<Relation> list_relations(pg::Session& session) {
  auto rows = session.query(
      "SELECT format('%I.%I', n.nspname, c.relname), c.relkind "
      "FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
      "WHERE c.relkind IN ('r', 'p', 'S') "
      "AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
      "AND n.nspname !~ '^pg_(toast|temp_|toast_temp_)' "
      "AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = "
      "'pg_catalog.pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e') "
      "ORDER BY 1");
  std::vector<Relation> result;
  for (const auto& row : rows) result.push_back({*row[0], (*row[1])[0]});
  return result;
}

}  // namespace

std::set<std::string> user_relations(pg::Session& session) {
  std::set<std::string> names;
  for (const auto& r : list_relations(session)) names.insert(r.name);
  return names;
}

DataSnapshot snapshot_data(pg::Session& session, const std::set<std::string>& excluded) {
  std::string tables_sql, sequences_sql;
  for (const auto& relation : list_relations(session)) {
    if (excluded.count(relation.name)) continue;
    const std::string name = ddl::quote_literal(relation.name);
    if (relation.kind == 'S') {
      if (!sequences_sql.empty()) sequences_sql += " UNION ALL ";
      sequences_sql += fmt::format("SELECT {}, last_value::text, is_called FROM {}", name,
                                   relation.name);
    } else {
      // ONLY: a partitioned or inherited parent's own rows; each child is listed by itself.
      // The digest of the sorted per-row digests: 32 bytes per row in the aggregate, so a table
      // of many rows stays far below the 1 GB limit of one text value.
      if (!tables_sql.empty()) tables_sql += " UNION ALL ";
      tables_sql += fmt::format(
          "SELECT {}, count(*), md5(coalesce(string_agg(r.digest, '' ORDER BY r.digest), '')) "
          "FROM (SELECT md5(t::text) AS digest FROM ONLY {} t) r",
          name, relation.name);
    }
  }
  DataSnapshot snapshot;
  if (!tables_sql.empty()) {
    session.exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    for (const auto& row : session.query(tables_sql + " ORDER BY 1")) {
      snapshot.tables.push_back({*row[0], std::stoll(*row[1]), *row[2]});
    }
    if (!sequences_sql.empty()) {
      for (const auto& row : session.query(sequences_sql + " ORDER BY 1")) {
        snapshot.sequences.push_back({*row[0], *row[1], *row[2] == "t"});
      }
    }
    session.exec("COMMIT");
  } else if (!sequences_sql.empty()) {
    for (const auto& row : session.query(sequences_sql + " ORDER BY 1")) {
      snapshot.sequences.push_back({*row[0], *row[1], *row[2] == "t"});
    }
  }
  return snapshot;
}

std::vector<std::string> compare_data(const DataSnapshot& replayed, const DataSnapshot& rebuilt) {
  std::vector<std::string> problems;
  std::map<std::string, std::pair<const TableRows*, const TableRows*>> tables;
  for (const auto& t : replayed.tables) tables[t.table].first = &t;
  for (const auto& t : rebuilt.tables) tables[t.table].second = &t;
  for (const auto& [name, pair] : tables) {
    const auto [a, b] = pair;
    if (a == nullptr || b == nullptr) {
      problems.push_back(fmt::format("table {}: only in the {} database", name,
                                     a ? "replayed" : "rebuilt"));
    } else if (a->rows != b->rows) {
      problems.push_back(fmt::format("table {}: {} rows in the replayed database, {} in the rebuilt",
                                     name, a->rows, b->rows));
    } else if (a->digest != b->digest) {
      problems.push_back(fmt::format(
          "table {}: the same number of rows ({}) but different values (md5 {} against {})", name,
          a->rows, a->digest, b->digest));
    }
  }
  std::map<std::string, std::pair<const SequencePosition*, const SequencePosition*>> sequences;
  for (const auto& s : replayed.sequences) sequences[s.sequence].first = &s;
  for (const auto& s : rebuilt.sequences) sequences[s.sequence].second = &s;
  for (const auto& [name, pair] : sequences) {
    const auto [a, b] = pair;
    if (a == nullptr || b == nullptr) {
      problems.push_back(fmt::format("sequence {}: only in the {} database", name,
                                     a ? "replayed" : "rebuilt"));
    } else if (a->last_value != b->last_value || a->is_called != b->is_called) {
      problems.push_back(fmt::format(
          "sequence {}: last_value {} is_called {} in the replayed database, last_value {} "
          "is_called {} in the rebuilt",
          name, a->last_value, a->is_called, b->last_value, b->is_called));
    }
  }
  return problems;
}

}  // namespace schemakit::squash
