#include "squash/databases.hpp"

#include <unistd.h>

#include <atomic>
#include <fmt/core.h>
#include <random>

#include "ddl/quote.hpp"
#include "introspect/introspect.hpp"
#include "pg/connection.hpp"

namespace schemakit::squash {

ClonedDatabase::ClonedDatabase(pg::ScratchServer& server, const std::string& template_name,
                               std::string_view purpose)
    : server_(server) {
  // "c" keeps these names apart from ScratchServer::create_database's; the salt keeps two
  // machines sharing one --scratch-url server apart.
  static std::atomic<unsigned> counter{0};
  static const unsigned salt = std::random_device{}() % 100000;
  name_ = fmt::format("schemakit_{}_{}_{}_c{}", purpose, getpid(), salt, counter++);
  pg::Session admin(server_.admin_conninfo(), "schemakit squash");
  // template0 may be in any encoding; the copy of a base database inherits the base's UTF8.
  admin.exec(fmt::format("CREATE DATABASE {} TEMPLATE {}{}", ddl::quote_ident(name_),
                         ddl::quote_ident(template_name),
                         template_name == "template0" ? " ENCODING 'UTF8'" : ""));
}

ClonedDatabase::~ClonedDatabase() {
  try {
    server_.drop_database(name_);
  } catch (...) {
    // The server may already be gone (embedded cluster stopped first); nothing to undo then.
  }
}

catalog::Catalog read_catalog(const std::string& conninfo, const std::vector<std::string>& created_roles) {
  introspect::IntrospectOptions options;
  options.listed_roles = created_roles;
  catalog::Catalog c = introspect::introspect(conninfo, options);
  c.sort_by_id();
  return c;
}

}  // namespace schemakit::squash
