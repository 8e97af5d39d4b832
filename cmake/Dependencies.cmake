# Third-party dependencies, all from Debian 12 packages (ci/setup installs them).
find_package(absl REQUIRED)
find_package(TBB REQUIRED)
find_package(GTest REQUIRED)
find_package(benchmark REQUIRED)
find_package(Boost 1.74 REQUIRED COMPONENTS context)
find_package(Threads REQUIRED)
find_package(nlohmann_json 3 REQUIRED)  # header-only; the JSON of reports, traces and describe

find_path(FDT_INCLUDE_DIR libfdt.h REQUIRED)
find_library(FDT_LIBRARY fdt REQUIRED)
add_library(probestorm_fdt INTERFACE)
target_include_directories(probestorm_fdt SYSTEM INTERFACE "${FDT_INCLUDE_DIR}")
target_link_libraries(probestorm_fdt INTERFACE "${FDT_LIBRARY}")
add_library(probestorm::fdt ALIAS probestorm_fdt)
