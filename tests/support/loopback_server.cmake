# Link target for tests/support/loopback_server.h: Debian's cpp-httplib (libcpp-httplib-dev),
# with the compile definitions its shared library was built with (from pkg-config).
# Include this file from any test CMake code that uses the loopback server; it is idempotent.
if(NOT TARGET sakaibot_test_loopback)
  find_package(PkgConfig REQUIRED)
  pkg_check_modules(SAKAIBOT_CPPHTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)
  add_library(sakaibot_test_loopback INTERFACE)
  target_link_libraries(sakaibot_test_loopback INTERFACE PkgConfig::SAKAIBOT_CPPHTTPLIB Threads::Threads)
endif()
