// squash: thin front end; the work lives in lib/.
#include <boost/program_options.hpp>
#include <fmt/core.h>
#include <iostream>

#include "common/cli.hpp"
#include "common/error.hpp"
#include "common/version.hpp"

namespace po = boost::program_options;

int main(int argc, char** argv) {
  return schemakit::cli::run("squash", [&] {
    po::options_description options("Options");
    options.add_options()
        ("help,h", "show this help and exit")
        ("version", "show the version and exit");
    po::variables_map vm;
    po::store(po::command_line_parser(argc, argv).options(options).run(), vm);
    po::notify(vm);
    if (vm.count("help")) {
      std::cout << "Usage: squash [OPTIONS]\n\n" << options << "\n" << schemakit::cli::kExitCodeTable;
      return 0;
    }
    if (vm.count("version")) {
      fmt::print("squash (schemakit) {}\n", schemakit::kVersion);
      return 0;
    }
    throw schemakit::UsageError("not implemented yet");
  });
}
