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

# Prompt templates (prompts/*.toml): system instructions per language, embedded the same way and
# read through core::embedded_prompts().
file(GLOB SAKAIBOT_PROMPT_FILES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/prompts/*.toml)
list(SORT SAKAIBOT_PROMPT_FILES)
string(REPLACE ";" "|" SAKAIBOT_PROMPT_ARG "${SAKAIBOT_PROMPT_FILES}")
set(SAKAIBOT_EMBEDDED_PROMPTS ${CMAKE_BINARY_DIR}/generated/embedded_prompts.cpp)
add_custom_command(
  OUTPUT ${SAKAIBOT_EMBEDDED_PROMPTS}
  COMMAND ${CMAKE_COMMAND} -DOUT=${SAKAIBOT_EMBEDDED_PROMPTS} -DFILES=${SAKAIBOT_PROMPT_ARG}
          -DFUNC=embedded_prompts -P ${CMAKE_SOURCE_DIR}/cmake/GenerateLocales.cmake
  DEPENDS ${SAKAIBOT_PROMPT_FILES} ${CMAKE_SOURCE_DIR}/cmake/GenerateLocales.cmake
  COMMENT "Embedding prompt templates"
  VERBATIM)
