# Compiler flags shared by every probestorm target.
add_library(probestorm_flags INTERFACE)
target_compile_options(probestorm_flags INTERFACE -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers)
if(PROBESTORM_WERROR)
  target_compile_options(probestorm_flags INTERFACE -Werror)
endif()
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  # GCC 12 at -O3 reports std::string appends inlined from <bits/char_traits.h> as overlapping
  # memcpy (GCC bug 105651, a false positive); with -Werror it would break the release preset.
  target_compile_options(probestorm_flags INTERFACE -Wno-restrict)
endif()
if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  # Lock annotations (ABSL_GUARDED_BY ...) are checked by clang builds.
  target_compile_options(probestorm_flags INTERFACE -Wthread-safety)
endif()
if(PROBESTORM_SANITIZER STREQUAL "thread")
  target_compile_options(probestorm_flags INTERFACE -fsanitize=thread -g)
  target_link_options(probestorm_flags INTERFACE -fsanitize=thread)
elseif(PROBESTORM_SANITIZER STREQUAL "address-undefined")
  target_compile_options(probestorm_flags INTERFACE -fsanitize=address,undefined
                         -fno-sanitize-recover=undefined -fno-omit-frame-pointer -g)
  target_link_options(probestorm_flags INTERFACE -fsanitize=address,undefined)
elseif(PROBESTORM_SANITIZER STREQUAL "fuzzer")
  # Coverage for libFuzzer everywhere; the fuzz/ targets add -fsanitize=fuzzer (its main).
  target_compile_options(probestorm_flags INTERFACE -fsanitize=fuzzer-no-link,address,undefined
                         -fno-sanitize-recover=undefined -fno-omit-frame-pointer -g)
  target_link_options(probestorm_flags INTERFACE -fsanitize=address,undefined)
endif()
target_include_directories(probestorm_flags INTERFACE "${PROJECT_SOURCE_DIR}")
