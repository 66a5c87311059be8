#include "archive/journal.hpp"

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "common/error.hpp"

namespace schemakit::archive {

using nlohmann::json;

std::string to_string(Operation operation) { return operation == Operation::archive ? "archive" : "restore"; }

std::string render_journal(const Journal& journal) {
  json files = json::array();
  for (const ManifestEntry& entry : journal.files)
    files.push_back({{"path", entry.path},
                     {"size", entry.size},
                     {"sha256", entry.sha256},
                     {"version", entry.version},
                     {"name", entry.name}});
  json document = {{"format", kJournalFormat},
                   {"operation", to_string(journal.operation)},
                   {"set", journal.set},
                   {"folder", journal.folder.string()},
                   {"files", std::move(files)},
                   {"folders", journal.folders},
                   {"created_roots", journal.created_roots},
                   {"preexisting", journal.preexisting},
                   {"started_at", journal.started_at},
                   {"pid", journal.pid}};
  return document.dump(2) + "\n";
}

Journal parse_journal(std::string_view text, const std::string& where) {
  try {
    json document = json::parse(text);
    if (document.at("format").get<std::string>() != kJournalFormat)
      throw InputError(fmt::format("{}: not a schemakit archive journal", where));
    Journal journal;
    std::string operation = document.at("operation").get<std::string>();
    if (operation == "archive")
      journal.operation = Operation::archive;
    else if (operation == "restore")
      journal.operation = Operation::restore;
    else
      throw InputError(fmt::format("{}: unknown operation \"{}\"", where, operation));
    journal.set = document.at("set").get<std::string>();
    check_set_name(journal.set);
    journal.folder = document.at("folder").get<std::string>();
    if (!journal.folder.is_absolute()) throw InputError(fmt::format("{}: folder must be absolute", where));
    for (const json& item : document.at("files")) {
      ManifestEntry entry;
      entry.path = item.at("path").get<std::string>();
      entry.size = item.at("size").get<std::uint64_t>();
      entry.sha256 = item.at("sha256").get<std::string>();
      entry.version = item.at("version").get<std::string>();
      entry.name = item.at("name").get<std::string>();
      check_entry_path(entry.path, where);
      journal.files.push_back(std::move(entry));
    }
    journal.folders = document.at("folders").get<std::vector<std::string>>();
    for (const std::string& folder : journal.folders) check_entry_path(folder, where);
    journal.created_roots = document.at("created_roots").get<std::vector<std::string>>();
    journal.preexisting = document.at("preexisting").get<std::vector<std::string>>();
    journal.started_at = document.at("started_at").get<std::string>();
    journal.pid = document.at("pid").get<long>();
    return journal;
  } catch (const json::exception& e) {
    throw InputError(fmt::format("{}: unreadable journal: {}", where, e.what()));
  }
}

}  // namespace schemakit::archive
