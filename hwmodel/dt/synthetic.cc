#include "hwmodel/dt/synthetic.h"

#include <array>
#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_format.h"
#include "harness/strings.h"
#include "hwmodel/dt/board.h"
#include "hwmodel/dt/dtb_writer.h"

namespace probestorm::hwmodel {
namespace {

// Address map: one 4 KiB window per node, one 256 MiB region per kind.
constexpr uint32_t kCmuBase = 0x10000000;
constexpr uint32_t kPdBase = 0x11000000;
constexpr uint32_t kGicBase = 0x12000000;
constexpr uint32_t kMasterBase = 0x40000000;
constexpr uint32_t kSysmmuBase = 0x50000000;
constexpr uint32_t kPlainBase = 0x60000000;
constexpr uint32_t kStride = 0x1000;

struct Key {
  std::string_view name;
  int SyntheticSpec::*field;
  bool required;
  int min;
  int max;
};

constexpr std::array<Key, 7> kKeys = {{
    {"sysmmus", &SyntheticSpec::sysmmus, true, 1, kMaxSyntheticNodes},
    {"masters", &SyntheticSpec::masters, true, 1, kMaxSyntheticNodes},
    {"per_master", &SyntheticSpec::per_master, true, 1, kMaxSyntheticPerMaster},
    {"unused", &SyntheticSpec::unused, false, 0, kMaxSyntheticNodes},
    {"plain", &SyntheticSpec::plain, false, 0, kMaxSyntheticNodes},
    {"groups", &SyntheticSpec::groups, false, 1, kMaxSyntheticGroups},
    {"version", &SyntheticSpec::version, false, 1, 7},
}};

absl::Status SpecError(std::string_view what) {
  return absl::InvalidArgumentError(absl::StrFormat("synthetic board: %s", what));
}

absl::Status Validate(const SyntheticSpec& s) {
  for (const Key& k : kKeys) {
    const int v = s.*k.field;
    if ((k.required || v != 0) && (v < k.min || v > k.max)) {
      return SpecError(absl::StrFormat("%s=%d is out of range [%d, %d]", k.name, v, k.min, k.max));
    }
  }
  if (s.version != 0 && s.version % 2 == 0) {
    return SpecError(absl::StrFormat("version=%d: SysMMU versions are 1, 3, 5 and 7", s.version));
  }
  const int64_t needed = int64_t{s.masters} * s.per_master + s.unused;
  if (s.sysmmus < needed) {
    return SpecError(absl::StrFormat("sysmmus=%d is less than masters*per_master + unused = %d",
                                     s.sysmmus, needed));
  }
  if (s.groups > s.masters) {
    return SpecError(absl::StrFormat("groups=%d exceeds masters=%d", s.groups, s.masters));
  }
  return absl::OkStatus();
}

class Builder {
 public:
  explicit Builder(const SyntheticSpec& s)
      : s_(s), groups_(s.groups != 0 ? s.groups : 1 + (s.masters - 1) / 4) {
    gic_ = w_.NewPhandle();
    for (int g = 0; g < groups_; ++g) {
      cmus_.push_back(w_.NewPhandle());
      pds_.push_back(w_.NewPhandle());
    }
    next_clock_.assign(static_cast<size_t>(groups_), 0);
    for (int i = 0; i < s.sysmmus; ++i) sysmmus_.push_back(w_.NewPhandle());
  }

  absl::StatusOr<std::vector<uint8_t>> Build() {
    w_.BeginNode("");
    w_.Strings("compatible", {"probestorm,synthetic"});
    w_.String("model",
              absl::StrFormat("probestorm synthetic board (sysmmus=%d, masters=%d, per_master=%d, "
                              "unused=%d, plain=%d, "
                              "groups=%d)",
                              s_.sysmmus, s_.masters, s_.per_master, s_.unused, s_.plain, groups_));
    w_.U32("#address-cells", 1);
    w_.U32("#size-cells", 1);
    w_.U32("interrupt-parent", gic_);
    if (s_.version != 0) w_.U32("probestorm,sysmmu-version", static_cast<uint32_t>(s_.version));
    w_.BeginNode("soc");
    w_.Strings("compatible", {"simple-bus"});
    w_.U32("#address-cells", 1);
    w_.U32("#size-cells", 1);
    w_.Empty("ranges");
    Providers();
    for (int m = 0; m < s_.masters; ++m) Master(m);
    for (int i = 0; i < s_.sysmmus; ++i) Sysmmu(i);
    for (int p = 0; p < s_.plain; ++p) {
      Device("plain", kPlainBase + static_cast<uint32_t>(p) * kStride, "probestorm,plain-device",
             p % groups_);
      w_.EndNode();
    }
    w_.EndNode();
    w_.EndNode();
    return w_.Finish();
  }

 private:
  void Providers() {
    w_.BeginNode(absl::StrFormat("interrupt-controller@%x", kGicBase));
    w_.Strings("compatible", {"arm,gic-400"});
    w_.Reg(kGicBase, 0x1000);
    w_.U32("#interrupt-cells", 3);
    w_.Empty("interrupt-controller");
    w_.Phandle(gic_);
    w_.EndNode();
    for (int g = 0; g < groups_; ++g) {
      const uint32_t pd = kPdBase + static_cast<uint32_t>(g) * 0x100;
      w_.BeginNode(absl::StrFormat("power-domain@%x", pd));
      w_.Strings("compatible", {"samsung,exynos4210-pd"});
      w_.Reg(pd, 0x20);
      w_.U32("#power-domain-cells", 0);
      w_.Phandle(pds_[static_cast<size_t>(g)]);
      w_.EndNode();
    }
    for (int g = 0; g < groups_; ++g) {
      const uint32_t cmu = kCmuBase + static_cast<uint32_t>(g) * kStride;
      w_.BeginNode(absl::StrFormat("clock-controller@%x", cmu));
      w_.Strings("compatible", {"probestorm,synthetic-cmu"});
      w_.Reg(cmu, kStride);
      w_.U32("#clock-cells", 1);
      w_.Cells("power-domains", {pds_[static_cast<size_t>(g)]});
      w_.Phandle(cmus_[static_cast<size_t>(g)]);
      w_.EndNode();
    }
  }

  // Opens a node with compatible, reg, one interrupt, the clocks `names` and the group's domain.
  void Device(std::string_view kind, uint32_t address, std::string_view compatible, int group,
              std::initializer_list<std::string_view> names = {"aclk"}) {
    w_.BeginNode(absl::StrFormat("%s@%x", kind, address));
    w_.Strings("compatible", {compatible});
    w_.Reg(address, kStride);
    w_.Cells("interrupts", {0, spi_++ % 988, 4});
    std::vector<uint32_t> clocks;
    for (size_t i = 0; i < names.size(); ++i) {
      clocks.push_back(cmus_[static_cast<size_t>(group)]);
      clocks.push_back(next_clock_[static_cast<size_t>(group)]++);
    }
    w_.Cells("clocks", clocks);
    w_.Strings("clock-names", names);
    w_.Cells("power-domains", {pds_[static_cast<size_t>(group)]});
  }

  int MasterGroup(int m) const { return static_cast<int>(int64_t{m} * groups_ / s_.masters); }

  void Master(int m) {
    Device("master", kMasterBase + static_cast<uint32_t>(m) * kStride,
           "probestorm,synthetic-master", MasterGroup(m));
    std::vector<uint32_t> iommus;
    for (int k = 0; k < s_.per_master; ++k) {
      iommus.push_back(sysmmus_[static_cast<size_t>(m * s_.per_master + k)]);
    }
    w_.Cells("iommus", iommus);
    w_.EndNode();
  }

  void Sysmmu(int i) {
    const int used = s_.masters * s_.per_master;
    const int group = i < used ? MasterGroup(i / s_.per_master) : (i - used) % groups_;
    Device("sysmmu", kSysmmuBase + static_cast<uint32_t>(i) * kStride, "samsung,exynos-sysmmu",
           group, {"aclk", "pclk"});
    w_.U32("#iommu-cells", 0);
    w_.Phandle(sysmmus_[static_cast<size_t>(i)]);
    w_.EndNode();
  }

  const SyntheticSpec& s_;
  const int groups_;
  DtbWriter w_;
  uint32_t gic_ = 0;
  std::vector<uint32_t> cmus_;        // [group]
  std::vector<uint32_t> pds_;         // [group]
  std::vector<uint32_t> next_clock_;  // [group]: next clock id of the group's controller
  std::vector<uint32_t> sysmmus_;     // [SysMMU]
  uint32_t spi_ = 0;
};

}  // namespace

absl::StatusOr<SyntheticSpec> ParseSyntheticSpec(std::string_view spec) {
  SyntheticSpec s;
  std::array<bool, kKeys.size()> seen{};
  while (!spec.empty()) {
    const size_t comma = spec.find(',');
    const std::string_view item = spec.substr(0, comma);
    spec = comma == std::string_view::npos ? std::string_view() : spec.substr(comma + 1);
    const size_t eq = item.find('=');
    const std::string_view name = item.substr(0, eq);
    size_t k = 0;
    while (k < kKeys.size() && kKeys[k].name != name) ++k;
    if (k == kKeys.size()) {
      return SpecError(
          absl::StrFormat("unknown key \"%s\" (keys: sysmmus, masters, per_master, "
                          "unused, plain, groups, version)",
                          name));
    }
    if (seen[k]) return SpecError(absl::StrFormat("key %s given twice", name));
    seen[k] = true;
    int64_t value = 0;
    if (eq == std::string_view::npos || !absl::SimpleAtoi(Av(item.substr(eq + 1)), &value)) {
      return SpecError(absl::StrFormat("%s needs a number, got \"%s\"", name, item));
    }
    const Key& key = kKeys[k];
    if (value < key.min || value > key.max) {
      return SpecError(
          absl::StrFormat("%s=%d is out of range [%d, %d]", name, value, key.min, key.max));
    }
    s.*key.field = static_cast<int>(value);
  }
  for (size_t k = 0; k < kKeys.size(); ++k) {
    if (kKeys[k].required && !seen[k]) {
      return SpecError(absl::StrFormat("missing key %s", kKeys[k].name));
    }
  }
  if (absl::Status st = Validate(s); !st.ok()) return st;
  return s;
}

absl::StatusOr<std::vector<uint8_t>> BuildSyntheticDtb(const SyntheticSpec& spec) {
  if (absl::Status s = Validate(spec); !s.ok()) return s;
  return Builder(spec).Build();
}

absl::StatusOr<Board> LoadSynthetic(std::string_view spec) {
  absl::StatusOr<SyntheticSpec> s = ParseSyntheticSpec(spec);
  if (!s.ok()) return s.status();
  absl::StatusOr<std::vector<uint8_t>> dtb = BuildSyntheticDtb(*s);
  if (!dtb.ok()) return dtb.status();
  return LoadDtb(*dtb, absl::StrFormat("synthetic:%s", spec));
}

}  // namespace probestorm::hwmodel
