# The locale catalogs are data files (locales/*.toml). They are compiled into the binary so an
# installed sakaibot needs no data directory; SAKAIBOT_LOCALES_DIR can still override them.
set(SAKAIBOT_LOCALE_FILES
  ${CMAKE_SOURCE_DIR}/locales/en.toml
  ${CMAKE_SOURCE_DIR}/locales/fa.toml
  ${CMAKE_SOURCE_DIR}/locales/ar.toml)
string(REPLACE ";" "|" SAKAIBOT_LOCALE_ARG "${SAKAIBOT_LOCALE_FILES}")
set(SAKAIBOT_EMBEDDED_LOCALES ${CMAKE_BINARY_DIR}/generated/embedded_locales.cpp)
add_custom_command(
  OUTPUT ${SAKAIBOT_EMBEDDED_LOCALES}
  COMMAND ${CMAKE_COMMAND} -DOUT=${SAKAIBOT_EMBEDDED_LOCALES} -DFILES=${SAKAIBOT_LOCALE_ARG}
          -P ${CMAKE_SOURCE_DIR}/cmake/GenerateLocales.cmake
  DEPENDS ${SAKAIBOT_LOCALE_FILES} ${CMAKE_SOURCE_DIR}/cmake/GenerateLocales.cmake
  COMMENT "Embedding locale catalogs"
  VERBATIM)
