# probestorm_layer(NAME <layer> DIRS <dirs...> DEPS <libs...>)
#
# One static library per layer (probestorm::<layer>) built from every *.cc under DIRS except
# *_test.cc and *_benchmark.cc; one GoogleTest binary (<layer>_test) from the *_test.cc files; one
# Google Benchmark binary (<layer>_benchmark) from the *_benchmark.cc files. New files need no
# CMake edit: CONFIGURE_DEPENDS re-globs on the next build.
function(probestorm_layer)
  cmake_parse_arguments(L "" "NAME" "DIRS;DEPS" ${ARGN})
  set(srcs)
  set(tests)
  set(benches)
  foreach(d IN LISTS L_DIRS)
    file(GLOB_RECURSE found CONFIGURE_DEPENDS "${CMAKE_CURRENT_SOURCE_DIR}/${d}/*.cc")
    foreach(f IN LISTS found)
      if(f MATCHES "_test\\.cc$")
        list(APPEND tests "${f}")
      elseif(f MATCHES "_benchmark\\.cc$")
        list(APPEND benches "${f}")
      elseif(NOT f MATCHES "/main\\.cc$")
        list(APPEND srcs "${f}")
      endif()
    endforeach()
  endforeach()
  add_library(probestorm_${L_NAME} STATIC ${srcs})
  add_library(probestorm::${L_NAME} ALIAS probestorm_${L_NAME})
  target_link_libraries(probestorm_${L_NAME} PUBLIC probestorm_flags ${L_DEPS})
  if(tests)
    add_executable(${L_NAME}_test ${tests})
    target_link_libraries(${L_NAME}_test PRIVATE probestorm_${L_NAME} GTest::gmock GTest::gtest_main)
    target_compile_definitions(${L_NAME}_test PRIVATE
      PROBESTORM_SHARED_DT_DIR="${PROJECT_SOURCE_DIR}/../shared/dt"
      PROBESTORM_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
    gtest_discover_tests(${L_NAME}_test DISCOVERY_TIMEOUT 60 PROPERTIES TIMEOUT 600)
  endif()
  if(benches)
    add_executable(${L_NAME}_benchmark ${benches})
    target_link_libraries(${L_NAME}_benchmark PRIVATE probestorm_${L_NAME} benchmark::benchmark_main)
  endif()
endfunction()
