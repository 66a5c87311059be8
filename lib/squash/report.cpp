#include "squash/report.hpp"

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "common/error.hpp"

namespace schemakit::squash {
namespace {

using Json = nlohmann::ordered_json;

Json files_json(const std::vector<ReportFile>& files) {
  Json out = Json::array();
  for (const auto& f : files) out.push_back({{"path", f.path}, {"sha256", f.sha256}});
  return out;
}

std::vector<ReportFile> files_from(const Json& array) {
  std::vector<ReportFile> files;
  for (const auto& f : array) files.push_back({f.at("path").get<std::string>(), f.at("sha256").get<std::string>()});
  return files;
}

}  // namespace

std::vector<ReportMigration> report_migrations(const migrations::History& history) {
  std::vector<ReportMigration> out;
  for (const auto& m : history.migrations) {
    ReportMigration entry{m.version, m.name, {}};
    for (const auto& f : m.files) entry.files.push_back({f.path.generic_string(), f.sha256});
    out.push_back(std::move(entry));
  }
  return out;
}

std::vector<ReportCallback> report_callbacks(const migrations::History& history) {
  std::vector<ReportCallback> out;
  for (const auto& c : history.callbacks) {
    ReportCallback entry{migrations::to_string(c.event), c.description, {}};
    for (const auto& f : c.files) entry.files.push_back({f.path.generic_string(), f.sha256});
    out.push_back(std::move(entry));
  }
  return out;
}

std::string to_json(const Report& r) {
  Json j;
  j["report_version"] = r.report_version;
  j["tool"] = "schemakit squash " + r.tool_version;
  j["source"] = r.source;
  j["format"] = r.format;
  j["through"] = r.through.empty() ? Json(nullptr) : Json(r.through);
  j["count"] = r.migrations.size();
  j["first_version"] = r.migrations.empty() ? Json(nullptr) : Json(r.migrations.front().version);
  j["last_version"] = r.migrations.empty() ? Json(nullptr) : Json(r.migrations.back().version);
  Json migrations = Json::array();
  for (const auto& m : r.migrations) {
    migrations.push_back({{"version", m.version}, {"name", m.name}, {"files", files_json(m.files)}});
  }
  j["migrations"] = std::move(migrations);
  Json callbacks = Json::array();
  for (const auto& c : r.callbacks) {
    callbacks.push_back({{"event", c.event}, {"description", c.description}, {"files", files_json(c.files)}});
  }
  j["callbacks"] = std::move(callbacks);
  j["ignored_files"] = r.ignored_files;
  if (r.flyway_config) {
    j["flyway_config"] = {{"files", files_json(r.flyway_config->files)},
                          {"found", r.flyway_config->found},
                          {"environment", r.flyway_config->environment},
                          {"applied", r.flyway_config->applied},
                          {"not_applicable", r.flyway_config->not_applicable}};
  }
  j["setup"] = files_json(r.setup);
  j["created_roles"] = r.created_roles;
  j["server_version"] = r.server_version;
  j["fingerprint"] = r.fingerprint;
  j["data"] = r.data;
  Json objects = Json::object();
  for (const auto& [kind, n] : r.objects) objects[kind] = n;
  j["objects"] = std::move(objects);
  Json rows = Json::object();
  for (const auto& [table, n] : r.rows) rows[table] = n;
  j["rows"] = std::move(rows);
  Json outputs = Json::object();
  for (const auto& [name, f] : r.outputs) outputs[name] = {{"sha256", f.sha256}};
  j["outputs"] = std::move(outputs);
  Json checks = Json::array();
  for (const auto& c : r.checks) {
    Json check = {{"name", c.name}, {"result", c.result}};
    if (!c.detail.empty()) check["detail"] = c.detail;
    checks.push_back(std::move(check));
  }
  j["verification"] = {{"result", r.proved ? "proved" : "failed"}, {"checks", std::move(checks)}};
  return j.dump(2) + "\n";
}

Report report_from_json(const std::string& text, const std::string& source_name) {
  try {
    Json j = Json::parse(text);
    Report r;
    r.report_version = j.at("report_version").get<int>();
    if (r.report_version != 1) {
      throw InputError(fmt::format("{}: report_version {} is not one this squash reads (1)",
                                   source_name, r.report_version));
    }
    r.source = j.at("source").get<std::string>();
    r.format = j.at("format").get<std::string>();
    if (!j.at("through").is_null()) r.through = j.at("through").get<std::string>();
    for (const auto& m : j.at("migrations")) {
      r.migrations.push_back({m.at("version").get<std::string>(), m.at("name").get<std::string>(),
                              files_from(m.at("files"))});
    }
    // Reports of squash versions before callbacks were replayed have no "callbacks": none.
    if (j.contains("callbacks")) {
      for (const auto& c : j.at("callbacks")) {
        r.callbacks.push_back({c.at("event").get<std::string>(), c.at("description").get<std::string>(),
                               files_from(c.at("files"))});
      }
    }
    if (j.contains("flyway_config")) {
      const Json& c = j.at("flyway_config");
      r.flyway_config = ReportFlywayConfig{files_from(c.at("files")), c.at("found").get<std::string>(),
                                           c.at("environment").get<std::string>(),
                                           c.at("applied").get<std::vector<std::string>>(),
                                           c.at("not_applicable").get<std::vector<std::string>>()};
    }
    r.setup = files_from(j.at("setup"));
    r.created_roles = j.value("created_roles", std::vector<std::string>());
    r.server_version = j.at("server_version").get<std::string>();
    r.fingerprint = j.at("fingerprint").get<std::string>();
    r.data = j.at("data").get<bool>();
    for (const auto& [kind, n] : j.at("objects").items()) r.objects[kind] = n.get<size_t>();
    for (const auto& [table, n] : j.at("rows").items()) r.rows[table] = n.get<long long>();
    for (const auto& [name, f] : j.at("outputs").items()) {
      r.outputs[name] = {name, f.at("sha256").get<std::string>()};
    }
    const Json& verification = j.at("verification");
    r.proved = verification.at("result").get<std::string>() == "proved";
    for (const auto& c : verification.at("checks")) {
      r.checks.push_back({c.at("name").get<std::string>(), c.at("result").get<std::string>(),
                          c.value("detail", std::string())});
    }
    return r;
  } catch (const nlohmann::json::exception& e) {
    throw InputError(fmt::format("{}: not a squash report: {}", source_name, e.what()));
  }
}

}  // namespace schemakit::squash
