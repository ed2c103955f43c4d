# Link target for tests/support/scripted_tdjson.h: the scripted TDLib double, for the tests and
# benchmarks that drive the TDLib code without a live TDLib. Not part of any production library.
# Include this file from any test or bench CMake code that uses it; it is idempotent.
if(NOT TARGET sakaibot_test_tdjson)
  add_library(sakaibot_test_tdjson STATIC ${CMAKE_CURRENT_LIST_DIR}/scripted_tdjson.cpp)
  target_include_directories(sakaibot_test_tdjson PUBLIC ${CMAKE_CURRENT_LIST_DIR}/..)
  target_link_libraries(sakaibot_test_tdjson
    PUBLIC sakaibot_telegram nlohmann_json::nlohmann_json
    PRIVATE sakaibot_warnings)
endif()
