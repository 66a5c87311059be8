# Every third-party dependency is found here, and only here. Each comes from a Debian package;
# a missing one stops the configure step with the package to install.
find_package(PkgConfig)

function(schemakit_require_package found debian_package what)
  if(NOT ${found})
    message(FATAL_ERROR
      "schemakit: ${what} not found. Install it with:\n"
      "  sudo apt-get install -y ${debian_package}\n"
      "(or run: bash scripts/dev.sh test, which installs every missing package)")
  endif()
endfunction()

schemakit_require_package(PKG_CONFIG_FOUND pkg-config "pkg-config")

pkg_check_modules(LIBPQXX IMPORTED_TARGET libpqxx)
schemakit_require_package(LIBPQXX_FOUND libpqxx-dev "libpqxx (C++ client for PostgreSQL)")
if(LIBPQXX_VERSION VERSION_LESS 6.4 OR NOT LIBPQXX_VERSION VERSION_LESS 7.0)
  message(FATAL_ERROR "schemakit: libpqxx 6.4.x is required (found ${LIBPQXX_VERSION}); install Debian 12's libpqxx-dev")
endif()
pkg_check_modules(LIBPQ IMPORTED_TARGET libpq)
schemakit_require_package(LIBPQ_FOUND libpq-dev "libpq (PostgreSQL client library)")

find_package(Boost 1.74 QUIET COMPONENTS program_options filesystem)
schemakit_require_package(Boost_PROGRAM_OPTIONS_FOUND libboost-program-options-dev "Boost.Program_options")
schemakit_require_package(Boost_FILESYSTEM_FOUND libboost-filesystem-dev "Boost.Filesystem")

find_package(fmt QUIET)
schemakit_require_package(fmt_FOUND libfmt-dev "{fmt}")

find_package(nlohmann_json 3 QUIET)
schemakit_require_package(nlohmann_json_FOUND nlohmann-json3-dev "nlohmann/json")

find_package(tomlplusplus 3 QUIET)
schemakit_require_package(tomlplusplus_FOUND libtomlplusplus-dev "toml++ (TOML parser)")

find_package(OpenSSL QUIET)
schemakit_require_package(OPENSSL_FOUND libssl-dev "OpenSSL (SHA-256)")

# libpg_query and dtl ship neither a CMake config nor a pkg-config file.
find_path(PG_QUERY_INCLUDE_DIR pg_query.h)
find_library(PG_QUERY_LIBRARY NAMES libpg_query.a pg_query)
if(PG_QUERY_INCLUDE_DIR AND PG_QUERY_LIBRARY)
  set(PG_QUERY_FOUND TRUE)
endif()
schemakit_require_package(PG_QUERY_FOUND libpg-query-dev "libpg_query (PostgreSQL's parser as a library)")
# pg_query's scanner answers in protobuf; libpg_query.a carries the protobuf-c runtime, and
# only its header comes from libprotobuf-c-dev.
find_path(PROTOBUF_C_INCLUDE_DIR protobuf-c/protobuf-c.h)
if(PROTOBUF_C_INCLUDE_DIR)
  set(PROTOBUF_C_FOUND TRUE)
endif()
schemakit_require_package(PROTOBUF_C_FOUND libprotobuf-c-dev "protobuf-c headers (for libpg_query's scanner)")
add_library(schemakit_pg_query INTERFACE)
target_include_directories(schemakit_pg_query SYSTEM INTERFACE ${PG_QUERY_INCLUDE_DIR} ${PROTOBUF_C_INCLUDE_DIR})
target_link_libraries(schemakit_pg_query INTERFACE ${PG_QUERY_LIBRARY})

find_path(DTL_INCLUDE_DIR dtl/dtl.hpp)
if(DTL_INCLUDE_DIR)
  set(DTL_FOUND TRUE)
endif()
schemakit_require_package(DTL_FOUND libdtl-dev "dtl (diff template library)")
add_library(schemakit_dtl INTERFACE)
target_include_directories(schemakit_dtl SYSTEM INTERFACE ${DTL_INCLUDE_DIR})

find_package(Threads REQUIRED)

if(SCHEMAKIT_BUILD_TESTS)
  find_package(GTest QUIET)
  schemakit_require_package(GTest_FOUND libgtest-dev "GoogleTest")
endif()
