# Helpers that every src/ folder uses, so each folder's CMakeLists.txt reads as
# a table of its targets: one call per library, test or program.
#
#   cobuild_library(NAME SRCS a.cc b.cc DEPS other_lib fmt::fmt [TEST_SUPPORT])
#     A static library "cobuild_<NAME>" with src/ on its include path.
#     TEST_SUPPORT: helpers only tests link (built only with
#     COBUILD_BUILD_TESTS, linked with GoogleTest).
#   cobuild_test(NAME SRCS a_test.cc DEPS cobuild_x [TIMEOUT S] [LABELS slow]
#                [NEEDS_CLI])
#     A GoogleTest binary registered with ctest (nothing when
#     COBUILD_BUILD_TESTS is OFF). Tests run from the source root, so they open
#     fixtures as "tests/data/...", and see COBUILD_SHARED_DATA
#     (../shared/data, which may be absent) and COBUILD_BIN (the cobuild
#     binary) in their env. NEEDS_CLI: the test runs the cobuild binary, so
#     building the test builds it first.

function(cobuild_library NAME)
  cmake_parse_arguments(ARG "TEST_SUPPORT" "" "SRCS;DEPS" ${ARGN})
  if(ARG_TEST_SUPPORT AND NOT COBUILD_BUILD_TESTS)
    return()
  endif()
  add_library(cobuild_${NAME} STATIC ${ARG_SRCS})
  target_include_directories(cobuild_${NAME} PUBLIC ${PROJECT_SOURCE_DIR}/src
                                                    ${PROJECT_BINARY_DIR}/generated)
  target_link_libraries(cobuild_${NAME} PUBLIC ${ARG_DEPS})
  if(ARG_TEST_SUPPORT)
    target_link_libraries(cobuild_${NAME} PUBLIC GTest::gtest)
  endif()
endfunction()

function(cobuild_test NAME)
  if(NOT COBUILD_BUILD_TESTS)
    return()
  endif()
  cmake_parse_arguments(ARG "NEEDS_CLI" "TIMEOUT" "SRCS;DEPS;LABELS" ${ARGN})
  add_executable(${NAME} ${ARG_SRCS})
  target_link_libraries(${NAME} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gtest_main GTest::gmock)
  target_compile_definitions(${NAME} PRIVATE
    COBUILD_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    COBUILD_BINARY_DIR="${PROJECT_BINARY_DIR}")
  if(ARG_NEEDS_CLI)
    add_dependencies(${NAME} cobuild)
  endif()
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
