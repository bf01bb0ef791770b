# Helpers that every src/ folder uses, so each declares its targets the same way.
#
#   cobuild_library(NAME SRCS a.cc b.cc DEPS other_lib fmt::fmt)
#     A static library "cobuild_<NAME>" with src/ on its include path.
#   cobuild_test(NAME SRCS a_test.cc DEPS cobuild_x [LABELS slow] [DATA])
#     A GoogleTest binary registered with ctest. Tests run from the source
#     root, so they open fixtures as "tests/data/...", and see
#     COBUILD_SHARED_DATA (../shared/data, which may be absent) in their env.

function(cobuild_library NAME)
  cmake_parse_arguments(ARG "" "" "SRCS;DEPS" ${ARGN})
  add_library(cobuild_${NAME} STATIC ${ARG_SRCS})
  target_include_directories(cobuild_${NAME} PUBLIC ${PROJECT_SOURCE_DIR}/src
                                                    ${PROJECT_BINARY_DIR}/generated)
  target_link_libraries(cobuild_${NAME} PUBLIC ${ARG_DEPS})
endfunction()

function(cobuild_test NAME)
  if(NOT COBUILD_BUILD_TESTS)
    return()
  endif()
  cmake_parse_arguments(ARG "" "TIMEOUT" "SRCS;DEPS;LABELS" ${ARGN})
  add_executable(${NAME} ${ARG_SRCS})
  target_link_libraries(${NAME} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gtest_main GTest::gmock)
  target_compile_definitions(${NAME} PRIVATE
    COBUILD_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    COBUILD_BINARY_DIR="${PROJECT_BINARY_DIR}")
  add_test(NAME ${NAME} COMMAND ${NAME} WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 300)
  endif()
  set_tests_properties(${NAME} PROPERTIES TIMEOUT ${ARG_TIMEOUT}
    ENVIRONMENT "COBUILD_SHARED_DATA=${PROJECT_SOURCE_DIR}/../shared/data;COBUILD_BIN=$<TARGET_FILE:cobuild>")
  if(ARG_LABELS)
    set_tests_properties(${NAME} PROPERTIES LABELS "${ARG_LABELS}")
  endif()
endfunction()
