# net_tests: the net layer against loopback servers (tests/support/loopback_server.h).
# Included from tests/CMakeLists.txt, after sakaibot_unit_tests() is defined.
include(${CMAKE_CURRENT_LIST_DIR}/../../support/loopback_server.cmake)
sakaibot_unit_tests(net_tests net sakaibot_net sakaibot_test_loopback)
