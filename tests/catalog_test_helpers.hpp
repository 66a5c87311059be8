#pragma once
// Shared by the catalog tests: a readable text form of a catalog and of its differences, pg_dump
// as an independent oracle, applying a golang-migrate folder, and the full round trip
// (introspect A, emit, apply to B, introspect B, compare models, rows, sequences and pg_dump).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <filesystem>
#include <fmt/core.h>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "catalog/attributes.hpp"
#include "catalog/core_attributes.hpp"
#include "catalog/model.hpp"
#include "ddl/data.hpp"
#include "ddl/quote.hpp"
#include "ddl/script.hpp"
#include "introspect/data.hpp"
#include "introspect/introspect.hpp"
#include "pg/connection.hpp"
#include "support/server_fixture.hpp"
#include "support/test_paths.hpp"

namespace schemakit::testing {

inline std::string object_text(const catalog::Object& o, bool with_data = true) {
  std::string out = fmt::format("{} {}\n", catalog::to_string(o.id.kind), catalog::display_name(o.id));
  for (const auto& [name, value] : o.attributes) {
    if (!with_data && name.rfind(catalog::attr::data_prefix, 0) == 0) continue;
    out += fmt::format("  {} = {}\n", name, value);
  }
  for (const auto& dep : o.depends_on) {
    out += fmt::format("  -> {} {}\n", catalog::to_string(dep.kind), catalog::display_name(dep));
  }
  return out;
}

inline std::string catalog_text(const catalog::Catalog& c, bool with_data = true) {
  std::string out;
  for (const auto& o : c.objects) out += object_text(o, with_data);
  for (const auto& u : c.unsupported) out += fmt::format("unsupported {} {}: {}\n", u.kind, u.identity, u.reason);
  return out;
}

// Every difference between two catalogs (ids, attributes, dependencies), one line each.
inline std::vector<std::string> catalog_differences(const catalog::Catalog& a, const catalog::Catalog& b,
                                                    bool with_data = true) {
  std::vector<std::string> out;
  std::map<catalog::ObjectId, const catalog::Object*> in_b;
  for (const auto& o : b.objects) in_b[o.id] = &o;
  for (const auto& o : a.objects) {
    auto it = in_b.find(o.id);
    if (it == in_b.end()) {
      out.push_back("only in A: " + object_text(o, with_data));
      continue;
    }
    const catalog::Object& other = *it->second;
    in_b.erase(it);
    std::set<std::string> names;
    for (const auto& [k, v] : o.attributes) names.insert(k);
    for (const auto& [k, v] : other.attributes) names.insert(k);
    for (const auto& name : names) {
      if (!with_data && name.rfind(catalog::attr::data_prefix, 0) == 0) continue;
      if (o.attr(name) != other.attr(name) || o.has(name) != other.has(name)) {
        out.push_back(fmt::format("{} {}: {}: A [{}] B [{}]", catalog::to_string(o.id.kind),
                                  catalog::display_name(o.id), name, o.has(name) ? o.attr(name) : "<absent>",
                                  other.has(name) ? other.attr(name) : "<absent>"));
      }
    }
    if (o.depends_on != other.depends_on) {
      out.push_back(fmt::format("dependencies differ:\nA: {}B: {}", object_text(o), object_text(other)));
    }
  }
  for (const auto& [id, o] : in_b) out.push_back("only in B: " + object_text(*o, with_data));
  if (a.unsupported != b.unsupported) out.push_back("unsupported lists differ");
  return out;
}

// pg_dump's output without the \restrict / \unrestrict lines (a random key per run).
inline std::string pg_dump(const std::string& conninfo, const std::string& arguments) {
  return pg_dump_text(conninfo, arguments);
}

// What pg_dump --data-only says about the data, normalized where its text depends on more than
// the data: each COPY block with its rows sorted (scripts load rows in primary-key order, else by
// every column, which need not be the source's physical order that pg_dump prints), the blocks
// and the setval lines sorted (pg_dump orders tables along foreign keys and breaks loops by OID
// order, which differs between databases built in a different order). Everything else in the
// dump is comments and SET lines.
inline std::string data_dump_content(const std::string& dump) {
  std::vector<std::string> blocks;
  std::vector<std::string> rows;
  std::string header;
  bool in_copy = false;
  size_t at = 0;
  while (at < dump.size()) {
    size_t end = dump.find('\n', at);
    if (end == std::string::npos) end = dump.size();
    std::string line = dump.substr(at, end - at);
    at = end + 1;
    if (in_copy && line == "\\.") {
      std::sort(rows.begin(), rows.end());
      std::string block = header + "\n";
      for (const auto& row : rows) block += row + "\n";
      blocks.push_back(block);
      rows.clear();
      in_copy = false;
    } else if (in_copy) {
      rows.push_back(line);
    } else if (line.rfind("COPY ", 0) == 0) {
      in_copy = true;
      header = line;
    } else if (line.rfind("SELECT pg_catalog.setval(", 0) == 0) {
      blocks.push_back(line + "\n");
    }
  }
  std::sort(blocks.begin(), blocks.end());
  std::string out;
  for (const auto& block : blocks) out += block;
  return out;
}

// A unified diff of two texts (for failure messages).
inline std::string text_diff(const std::string& a, const std::string& b) {
  TempDir dir;
  write_file(dir.path() / "a", a);
  write_file(dir.path() / "b", b);
  std::string output;
  run_command(fmt::format("diff -u {} {}", (dir.path() / "a").string(), (dir.path() / "b").string()), &output);
  return output;
}

// Applies a golang-migrate folder's *.up.sql files in version order, each in its own transaction.
inline void apply_golang_migrate(const std::string& conninfo, const std::filesystem::path& folder) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(folder)) {
    const std::string name = entry.path().filename().string();
    if (name.size() > 7 && name.substr(name.size() - 7) == ".up.sql") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end(), [](const auto& x, const auto& y) {
    return std::stoll(x.filename().string()) < std::stoll(y.filename().string());
  });
  pg::Session session(conninfo, "schemakit-test");
  for (const auto& file : files) {
    try {
      session.exec("BEGIN;\n" + read_file(file) + "\nCOMMIT;");
    } catch (const std::exception& e) {
      FAIL() << file << ": " << e.what();
    }
  }
}

inline void run_sql(const std::string& conninfo, const std::string& sql) {
  pg::Session session(conninfo, "schemakit-test");
  session.exec(sql);
}

inline std::optional<std::string> query_value(const std::string& conninfo, const std::string& sql) {
  pg::Session session(conninfo, "schemakit-test");
  auto rows = session.query(sql);
  if (rows.empty() || rows[0].empty()) return std::nullopt;
  return rows[0][0];
}

inline std::string rows_text(const ddl::TableData& data) {
  std::string out;
  for (const auto& table : data.tables) out += ddl::insert_statements(table, 1000000);
  return out;
}

// Next value of every sequence of `catalog` (identity sequences included), consuming it.
inline std::map<std::string, std::string> next_values(const std::string& conninfo, const catalog::Catalog& catalog) {
  std::map<std::string, std::string> out;
  for (const auto& o : catalog.objects) {
    std::string sequence;
    if (o.id.kind == catalog::Kind::sequence) sequence = ddl::qualified(o.id.schema, o.id.name);
    if (o.id.kind == catalog::Kind::column && o.has(catalog::attr::identity_sequence)) {
      sequence = o.attr(catalog::attr::identity_sequence);
    }
    if (sequence.empty()) continue;
    auto value = query_value(conninfo, "SELECT nextval(" + ddl::quote_literal(sequence) + ")");
    out[sequence] = value.value_or("NULL");
  }
  return out;
}

struct RoundTripResult {
  catalog::Catalog a;
  catalog::Catalog b;
  ddl::Script script;
};

// The whole proof for database `a` (already built) against the empty database `b`, then `down`
// on `b` compared with the still empty database `empty`.
inline RoundTripResult round_trip(const std::string& a, const std::string& b, const std::string& empty) {
  RoundTripResult result;
  introspect::IntrospectOptions options;
  result.a = introspect::introspect(a, options);
  ddl::TableData data_a = introspect::read_table_data(a, result.a);
  ddl::ScriptOptions script_options;
  result.script = ddl::write_script(result.a, &data_a, script_options);
  // SCHEMAKIT_TEST_SHOW_SCRIPT=1 prints what the test applies (for debugging a failure).
  if (std::getenv("SCHEMAKIT_TEST_SHOW_SCRIPT") != nullptr) {
    std::cout << result.script.up << "\n" << result.script.down << "\n" << catalog_text(result.a);
  }
  try {
    run_sql(b, result.script.up);
  } catch (const std::exception& e) {
    ADD_FAILURE() << "applying up failed: " << e.what() << "\n" << result.script.up;
    return result;
  }
  result.b = introspect::introspect(b, options);
  auto differences = catalog_differences(result.a, result.b);
  std::string listed;
  for (const auto& d : differences) listed += d + "\n";
  EXPECT_TRUE(differences.empty()) << listed << "\nup:\n" << result.script.up;

  ddl::TableData data_b = introspect::read_table_data(b, result.b);
  EXPECT_EQ(rows_text(data_a), rows_text(data_b));

  const std::string schema_a = pg_dump(a, "--schema-only"), schema_b = pg_dump(b, "--schema-only");
  EXPECT_TRUE(schema_a == schema_b) << text_diff(schema_a, schema_b);
  const std::string rows_a = data_dump_content(pg_dump(a, "--data-only"));
  const std::string rows_b = data_dump_content(pg_dump(b, "--data-only"));
  EXPECT_TRUE(rows_a == rows_b) << text_diff(rows_a, rows_b);

  EXPECT_EQ(next_values(a, result.a), next_values(b, result.b));

  try {
    run_sql(b, result.script.down);
  } catch (const std::exception& e) {
    ADD_FAILURE() << "applying down failed: " << e.what() << "\n" << result.script.down;
    return result;
  }
  catalog::Catalog after_down = introspect::introspect(b, options);
  catalog::Catalog fresh = introspect::introspect(empty, options);
  auto left = catalog_differences(fresh, after_down);
  listed.clear();
  for (const auto& d : left) listed += d + "\n";
  EXPECT_TRUE(left.empty()) << "down left:\n" << listed;
  const std::string dump_down = pg_dump(b, "--schema-only"), dump_fresh = pg_dump(empty, "--schema-only");
  EXPECT_TRUE(dump_down == dump_fresh) << text_diff(dump_fresh, dump_down);
  return result;
}

}  // namespace schemakit::testing
