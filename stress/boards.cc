#include "stress/boards.h"

#include <algorithm>
#include <filesystem>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "harness/strings.h"

namespace probestorm::stress {

absl::StatusOr<std::vector<std::string>> ExpandBoardSpecs(const std::vector<std::string>& dts,
                                                          const std::vector<std::string>& synthetic) {
  std::vector<std::string> out;
  for (const std::string& d : dts) {
    std::error_code ec;
    if (!absl::StartsWith(d, "embedded:") && std::filesystem::is_directory(d, ec)) {
      std::vector<std::string> files;
      for (const auto& e : std::filesystem::directory_iterator(d, ec)) {
        if (e.path().extension() == ".dtb") files.push_back(e.path().string());
      }
      if (files.empty()) {
        return absl::InvalidArgumentError(absl::StrCat("--dt=", d, ": folder holds no .dtb file"));
      }
      std::sort(files.begin(), files.end());
      out.insert(out.end(), files.begin(), files.end());
    } else {
      if (!absl::StartsWith(d, "embedded:") && !std::filesystem::exists(d, ec)) {
        return absl::InvalidArgumentError(
            absl::StrCat("--dt=", d, ": cannot read: ", ec ? ec.message() : "no such file"));
      }
      out.push_back(d);
    }
  }
  for (const std::string& s : synthetic) out.push_back(absl::StrCat(Av(kSyntheticPrefix), s));
  if (out.empty()) out.emplace_back(kDefaultBoard);
  return out;
}

namespace {

absl::StatusOr<hwmodel::Board> LoadBoardFile(std::string_view path,
                                             const DeviceTreeFileOptions& options) {
  absl::StatusOr<std::vector<uint8_t>> dtb = ReadDeviceTreeFile(path, options);
  if (!dtb.ok()) return dtb.status();
  return hwmodel::LoadDtb(*dtb, std::string(path));
}

}  // namespace

absl::StatusOr<hwmodel::Board> LoadBoardSpec(std::string_view spec,
                                             const DeviceTreeFileOptions& options) {
  absl::StatusOr<hwmodel::Board> b =
      absl::StartsWith(Av(spec), Av(kSyntheticPrefix))
          ? hwmodel::LoadSynthetic(spec.substr(kSyntheticPrefix.size()))
      : absl::StartsWith(Av(spec), "embedded:") ? hwmodel::LoadEmbeddedBoard(spec)
                                                 : LoadBoardFile(spec, options);
  if (!b.ok()) {
    const std::string msg(b.status().message());
    // Name the board unless the loader already did.
    if (absl::StrContains(msg, Av(spec))) return b.status();
    return absl::InvalidArgumentError(absl::StrCat("board '", Av(spec), "': ", msg));
  }
  b->name = std::string(spec);
  return b;
}

}  // namespace probestorm::stress
