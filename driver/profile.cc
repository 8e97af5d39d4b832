// Profiles: knob parsing and printing, profile files and the built-in patch stack
// (`probestorm list profiles`, `list knobs`).
#include "driver/profile.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <optional>
#include <sstream>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "harness/strings.h"

namespace probestorm::kernel {
namespace {

using harness::Nanos;

bool ListHas(const std::vector<std::string>& list, std::string_view item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

// User text inside an error line: printable ASCII, everything else escaped (\r, \x01, \303).
std::string Shown(std::string_view text) { return absl::CHexEscape(Av(text)); }

absl::Status BadValue(std::string_view knob, std::string_view value, std::string_view syntax) {
  return absl::InvalidArgumentError(absl::StrCat("bad value '", Shown(value), "' for knob '",
                                                 Shown(knob), "' (expected ", Av(syntax), ")"));
}

std::optional<bool> ParseBool(std::string_view v) {
  std::string s = absl::AsciiStrToLower(Av(v));
  if (s == "true" || s == "1" || s == "on" || s == "yes") return true;
  if (s == "false" || s == "0" || s == "off" || s == "no") return false;
  return std::nullopt;
}

// Shortest exact text of a duration: "12s", "250ms", "40us", "7ns".
std::string FormatDuration(Nanos t) {
  if (t % harness::kSec == 0) return absl::StrCat(t / harness::kSec, "s");
  if (t % harness::kMsec == 0) return absl::StrCat(t / harness::kMsec, "ms");
  if (t % harness::kUsec == 0) return absl::StrCat(t / harness::kUsec, "us");
  return absl::StrCat(t, "ns");
}

std::string FormatLoadTime(const LoadTime& lt) {
  if (lt.lo == lt.hi) return absl::StrCat("fixed:", FormatDuration(lt.lo));
  return absl::StrCat("uniform:", FormatDuration(lt.lo), "..", FormatDuration(lt.hi));
}

std::optional<LoadTime> ParseLoadTime(std::string_view v) {
  absl::string_view s = Av(v);
  if (absl::ConsumePrefix(&s, "fixed:")) {
    auto t = harness::ParseDuration(Sv(s));
    if (!t.ok()) return std::nullopt;
    return LoadTime{*t, *t};
  }
  if (absl::ConsumePrefix(&s, "uniform:")) {
    std::vector<absl::string_view> parts = absl::StrSplit(s, "..");
    if (parts.size() != 2) return std::nullopt;
    auto lo = harness::ParseDuration(Sv(parts[0]));
    auto hi = harness::ParseDuration(Sv(parts[1]));
    if (!lo.ok() || !hi.ok() || *hi < *lo) return std::nullopt;
    return LoadTime{*lo, *hi};
  }
  return std::nullopt;
}

std::optional<std::vector<std::string>> ParseNameList(std::string_view v, bool allow_star) {
  std::vector<std::string> out;
  for (absl::string_view item : absl::StrSplit(Av(v), ',', absl::SkipWhitespace())) {
    item = absl::StripAsciiWhitespace(item);
    if (item == "*" && allow_star) {
      out.emplace_back("*");
      continue;
    }
    for (char c : item) {
      if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-' && c != '.') {
        return std::nullopt;
      }
    }
    out.emplace_back(item);
  }
  return out;
}

std::string_view InjectSyntax() {
  static const std::string* text = new std::string(absl::StrCat(
      "comma list of failure sites (", absl::StrJoin(kInjectSites, ", ",
                    [](std::string* out, std::string_view site) { out->append(site); }), ") or empty"));
  return *text;
}

struct Choice {
  std::string_view text;
  int value;
};

// One knob: its name, description, accepted syntax, printer and parser.
struct KnobDef {
  std::string_view name;
  std::string_view description;
  std::string_view syntax;
  std::function<std::string(const Knobs&)> get;
  std::function<bool(Knobs&, std::string_view)> set;  // false: malformed value
};

KnobDef BoolKnob(std::string_view name, std::string_view description, bool Knobs::*field) {
  return {name, description, "true|false|1|0|on|off",
          [field](const Knobs& k) { return std::string(k.*field ? "true" : "false"); },
          [field](Knobs& k, std::string_view v) {
            auto b = ParseBool(v);
            if (!b) return false;
            k.*field = *b;
            return true;
          }};
}

// A count of tasks per master: an integer 0..1000.
KnobDef TasksPerMasterKnob(std::string_view name, std::string_view description, int Knobs::*field) {
  return {name, description, "integer >= 0",
          [field](const Knobs& k) { return absl::StrCat(k.*field); },
          [field](Knobs& k, std::string_view v) {
            int n = 0;
            if (!absl::SimpleAtoi(Av(v), &n) || n < 0 || n > 1000) return false;
            k.*field = n;
            return true;
          }};
}

template <typename E>
KnobDef EnumKnob(std::string_view name, std::string_view description, std::string_view syntax,
                 E Knobs::*field, std::vector<Choice> choices) {
  return {name, description, syntax,
          [field, choices](const Knobs& k) {
            for (const auto& c : choices) {
              if (c.value == static_cast<int>(k.*field)) return std::string(c.text);
            }
            return std::string("?");
          },
          [field, choices](Knobs& k, std::string_view v) {
            for (const auto& c : choices) {
              if (c.text == v) {
                k.*field = static_cast<E>(c.value);
                return true;
              }
            }
            return false;
          }};
}

const std::vector<KnobDef>& Defs() {
  static const auto* defs = new std::vector<KnobDef>{
      {"deferred_probe_timeout",
       "driver core deferred_probe_timeout= in seconds (10 with CONFIG_MODULES in v6.0+; -1 never)",
       "integer seconds >= -1, e.g. 10, 30, -1",
       [](const Knobs& k) { return absl::StrCat(k.deferred_probe_timeout); },
       [](Knobs& k, std::string_view v) {
         int s = 0;
         absl::string_view t = Av(v);
         absl::ConsumeSuffix(&t, "s");
         if (v == "never") s = -1;
         else if (!absl::SimpleAtoi(t, &s) || s < -1) return false;
         k.deferred_probe_timeout = s;
         return true;
       }},
      BoolKnob("deferred_probe_extend_on_register",
               "driver_register() re-arms a pending deferred-probe timeout (v6.0+)",
               &Knobs::deferred_probe_extend_on_register),
      BoolKnob("modules", "CONFIG_MODULES: the timeout gives up with -ETIMEDOUT instead of -ENODEV",
               &Knobs::modules),
      EnumKnob("fw_devlink", "fw_devlink= mode: device links created from firmware references",
               "off|permissive|on|rpm", &Knobs::fw_devlink,
               {{"off", static_cast<int>(FwDevlinkMode::kOff)},
                {"permissive", static_cast<int>(FwDevlinkMode::kPermissive)},
                {"on", static_cast<int>(FwDevlinkMode::kOn)},
                {"rpm", static_cast<int>(FwDevlinkMode::kRpm)}}),
      BoolKnob("fw_devlink_strict",
               "fw_devlink.strict=1: optional bindings (iommus, dmas) become mandatory links",
               &Knobs::fw_devlink_strict),
      BoolKnob("iommus_optional",
               "`iommus` is an optional fw_devlink binding (false: the seed mail's property.c change)",
               &Knobs::iommus_optional),
      EnumKnob("exynos_iommu", "exynos-iommu built in (core_initcall) or a module loaded by modprobe",
               "builtin|module", &Knobs::exynos_iommu,
               {{"builtin", static_cast<int>(Linkage::kBuiltin)},
                {"module", static_cast<int>(Linkage::kModule)}}),
      {"exynos_load_time", "when modprobe loads exynos-iommu (virtual time after boot)",
       "uniform:LO..HI or fixed:T with durations, e.g. uniform:2s..40s, fixed:12s",
       [](const Knobs& k) { return FormatLoadTime(k.exynos_load_time); },
       [](Knobs& k, std::string_view v) {
         auto lt = ParseLoadTime(v);
         if (!lt) return false;
         k.exynos_load_time = *lt;
         return true;
       }},
      EnumKnob("masters", "DMA master drivers built in or modules", "builtin|module", &Knobs::masters,
               {{"builtin", static_cast<int>(Linkage::kBuiltin)},
                {"module", static_cast<int>(Linkage::kModule)}}),
      {"masters_load_time", "when modprobe loads modular master drivers",
       "uniform:LO..HI or fixed:T with durations, e.g. uniform:1s..5s",
       [](const Knobs& k) { return FormatLoadTime(k.masters_load_time); },
       [](Knobs& k, std::string_view v) {
         auto lt = ParseLoadTime(v);
         if (!lt) return false;
         k.masters_load_time = *lt;
         return true;
       }},
      {"async_probe", "driver_async_probe=: drivers probed asynchronously (names, * for all)",
       "comma list of driver names, * or empty",
       [](const Knobs& k) { return absl::StrJoin(k.async_probe, ","); },
       [](Knobs& k, std::string_view v) {
         auto l = ParseNameList(v, /*allow_star=*/true);
         if (!l) return false;
         k.async_probe = *l;
         return true;
       }},
      {"exynos_init_order",
       "exynos_iommu_init/probe order: v6.1 (driver before zero_lv2_table) or fixed (bbc4d205d93f)",
       "v6.1|fixed", [](const Knobs& k) { return std::string(k.exynos_init_fixed ? "fixed" : "v6.1"); },
       [](Knobs& k, std::string_view v) {
         if (v == "v6.1") k.exynos_init_fixed = false;
         else if (v == "fixed") k.exynos_init_fixed = true;
         else return false;
         return true;
       }},
      BoolKnob("exynos_register_last",
               "exynos_sysmmu_probe calls iommu_device_register last (bbc4d205d93f)",
               &Knobs::exynos_register_last),
      EnumKnob("iommu_core",
               "IOMMU core generation: 6.0 bus_set_iommu, 6.1 register->bus probe, 6.2 probe lock, "
               "6.7 lock around of_xlate, 6.15 parsing in the probe path",
               "6.0|6.1|6.2|6.7|6.15", &Knobs::iommu_core,
               {{"6.0", static_cast<int>(IommuCoreGen::k6_0)},
                {"6.1", static_cast<int>(IommuCoreGen::k6_1)},
                {"6.2", static_cast<int>(IommuCoreGen::k6_2)},
                {"6.7", static_cast<int>(IommuCoreGen::k6_7)},
                {"6.15", static_cast<int>(IommuCoreGen::k6_15)}}),
      {"arch",
       "CPU architecture: board (from the root compatible's SoC, else arm64), arm64 (DMA default "
       "domains, iommu_dma_ops) or arm32 (no DMA default domain in v6.1, arm_iommu mapping at probe)",
       "board|arm64|arm32",
       [](const Knobs& k) {
         if (k.arch_from_board) return std::string("board");
         return std::string(k.arch == Arch::kArm64 ? "arm64" : "arm32");
       },
       [](Knobs& k, std::string_view v) {
         if (v == "board") {
           k.arch_from_board = true;
           k.arch = Arch::kArm64;
         } else if (v == "arm64" || v == "arm32") {
           k.arch_from_board = false;
           k.arch = v == "arm64" ? Arch::kArm64 : Arch::kArm32;
         } else {
           return false;
         }
         return true;
       }},
      BoolKnob("trigger_recheck",
               "driver_probe_device re-triggers when trigger_count changed (off: lost trigger, S8)",
               &Knobs::trigger_recheck),
      {"sysmmu_version",
       "SysMMU hardware version; board: the board's probestorm,sysmmu-version, else its SoC's, else 5",
       "board|1|3|5|7",
       [](const Knobs& k) {
         return k.sysmmu_version == 0 ? std::string("board") : absl::StrCat(k.sysmmu_version);
       },
       [](Knobs& k, std::string_view v) {
         int n = 0;
         if (v == "board") {
           k.sysmmu_version = 0;
           return true;
         }
         if (!absl::SimpleAtoi(Av(v), &n) || (n != 1 && n != 3 && n != 5 && n != 7)) return false;
         k.sysmmu_version = n;
         return true;
       }},
      {"sysmmu_vm",
       "VM-capable SysMMU v7 (CAPA1 VCR set, VM register layout); needs sysmmu_version 7",
       "on|off", [](const Knobs& k) { return std::string(k.sysmmu_vm ? "on" : "off"); },
       [](Knobs& k, std::string_view v) {
         if (v == "on") k.sysmmu_vm = true;
         else if (v == "off") k.sysmmu_vm = false;
         else return false;
         return true;
       }},
      TasksPerMasterKnob("churn", "sysfs unbind/bind tasks per master", &Knobs::churn),
      TasksPerMasterKnob("probe_storm",
                         "tasks per master writing it to /sys/bus/platform/drivers_probe a few "
                         "times during the boot (re-probes racing the deferred worker)",
                         &Knobs::probe_storm),
      {"inject", "injected failure sites (kInjectSites in driver/profile.h)", InjectSyntax(),
       [](const Knobs& k) { return absl::StrJoin(k.inject, ","); },
       [](Knobs& k, std::string_view v) {
         auto l = ParseNameList(v, /*allow_star=*/false);
         if (!l) return false;
         for (const std::string& site : *l) {
           if (std::find(kInjectSites.begin(), kInjectSites.end(), site) == kInjectSites.end()) {
             return false;
           }
         }
         k.inject = *l;
         return true;
       }},
      {"drop_lock",
       "a planted bug for sanitizer and detector controls: every lock of this class excludes "
       "nothing (kLockClasses in driver/profile.h)",
       "none or a lock class, e.g. group->mutex",
       [](const Knobs& k) { return k.drop_lock.empty() ? std::string("none") : k.drop_lock; },
       [](Knobs& k, std::string_view v) {
         if (v == "none") {
           k.drop_lock.clear();
           return true;
         }
         if (std::find(kLockClasses.begin(), kLockClasses.end(), v) == kLockClasses.end()) {
           return false;
         }
         k.drop_lock = std::string(v);
         return true;
       }},
      {"default_domain", "default IOMMU domain type", "dma|identity",
       [](const Knobs& k) { return std::string(k.default_domain_dma ? "dma" : "identity"); },
       [](Knobs& k, std::string_view v) {
         if (v == "dma") k.default_domain_dma = true;
         else if (v == "identity") k.default_domain_dma = false;
         else return false;
         return true;
       }},
  };
  return *defs;
}

const KnobDef* FindDef(std::string_view name) {
  for (const auto& d : Defs()) {
    if (d.name == name) return &d;
  }
  return nullptr;
}

Profile Make(std::string name, std::string description,
             const std::function<void(Knobs&)>& edit, const Knobs& base) {
  Profile p{std::move(name), std::move(description), base};
  edit(p.knobs);
  return p;
}

std::vector<Profile> BuildStack() {
  std::vector<Profile> s;
  const Knobs v61;  // the defaults are Linux v6.1 with exynos-iommu built in
  s.push_back(Make("v6.1",
                   "Linux v6.1, exynos-iommu built in (core_initcall), masters built in, iommus "
                   "optional, timeout 10 s, arm64",
                   [](Knobs&) {}, v61));
  s.push_back(Make("v6.1-modular",
                   "v6.1 + Sam Protsenko's \"Convert to a module\" v2: exynos-iommu loaded by "
                   "modprobe 2-40 s after boot",
                   [](Knobs& k) {
                     k.exynos_iommu = Linkage::kModule;
                     k.exynos_load_time = {2 * harness::kSec, 40 * harness::kSec};
                   },
                   s.back().knobs));
  const Knobs modular = s.back().knobs;
  const auto initfix = [](Knobs& k) {
    k.exynos_init_fixed = true;
    k.exynos_register_last = true;
  };
  s.push_back(Make("v6.1-modular+initfix",
                   "+ bbc4d205d93f \"iommu/exynos: Fix driver initialization sequence\"", initfix,
                   modular));
  s.push_back(Make("v6.1-modular+marek",
                   "+ initfix + deferred probe timeout 30 s + iommus mandatory (the seed mail's two "
                   "changes)",
                   [&](Knobs& k) {
                     initfix(k);
                     k.deferred_probe_timeout = 30;
                     k.iommus_optional = false;
                   },
                   modular));
  s.push_back(Make("v6.2-modular",
                   "IOMMU core of v6.2 (01657bc14a39 probe lock) + initfix, iommus optional, "
                   "timeout 10 s",
                   [&](Knobs& k) {
                     initfix(k);
                     k.iommu_core = IommuCoreGen::k6_2;
                   },
                   modular));
  s.push_back(Make("v6.7-modular",
                   "+ a2e7e59a9426 (of_xlate and fwspec under iommu_probe_device_lock)",
                   [](Knobs& k) { k.iommu_core = IommuCoreGen::k6_7; }, s.back().knobs));
  s.push_back(Make("v6.15-modular",
                   "+ bcb81ac6ae3c (firmware parsing in the IOMMU probe path, late-probe warning)",
                   [](Knobs& k) { k.iommu_core = IommuCoreGen::k6_15; }, s.back().knobs));
  return s;
}

const Profile* FindBuiltin(std::string_view name) {
  for (const auto& p : BuiltinProfiles()) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

std::string BuiltinNames() {
  std::vector<std::string> names;
  for (const auto& p : BuiltinProfiles()) names.push_back(p.name);
  return absl::StrJoin(names, ", ");
}

}  // namespace

bool Knobs::AsyncProbe(std::string_view driver_name) const {
  return ListHas(async_probe, "*") || ListHas(async_probe, driver_name);
}

bool Knobs::Injected(std::string_view site) const { return ListHas(inject, site); }

std::vector<KnobInfo> AllKnobs() {
  std::vector<KnobInfo> out;
  for (const auto& d : Defs()) out.push_back({d.name, d.description});
  return out;
}

std::string KnobValue(const Knobs& k, std::string_view name) {
  const KnobDef* d = FindDef(name);
  return d ? d->get(k) : std::string();
}

absl::Status SetKnob(Knobs& k, std::string_view name, std::string_view value) {
  const KnobDef* d = FindDef(name);
  if (d == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown knob '", Shown(name), "' (`probestorm list knobs` prints them all)"));
  }
  const std::string v(absl::StripAsciiWhitespace(Av(value)));
  if (!d->set(k, v)) return BadValue(name, v, d->syntax);
  return absl::OkStatus();
}

const std::vector<Profile>& BuiltinProfiles() {
  static const auto* stack = new std::vector<Profile>(BuildStack());
  return *stack;
}

absl::StatusOr<Profile> LoadProfile(std::string_view name_or_file) {
  if (const Profile* p = FindBuiltin(name_or_file)) return *p;
  std::error_code ec;
  if (std::filesystem::is_directory(std::string(name_or_file), ec)) {
    return absl::InvalidArgumentError(absl::StrCat("profile '", Shown(name_or_file),
                                                   "' is a folder, not a profile file"));
  }
  std::ifstream in{std::string(name_or_file)};
  if (!in) {
    return absl::InvalidArgumentError(absl::StrCat(
        "unknown profile '", Shown(name_or_file), "': not a built-in profile (", BuiltinNames(),
        ") nor a readable profile file"));
  }
  std::stringstream ss;
  ss << in.rdbuf();
  return ParseProfileText(name_or_file, ss.str());
}

absl::StatusOr<Profile> ParseProfileText(std::string_view name_or_file, std::string_view text) {
  // Two passes: `base` first wherever it appears, then the knobs in file order.
  struct Line {
    int number;
    std::string key, value;
  };
  std::vector<Line> lines;
  int number = 0;
  std::string base;
  for (absl::string_view raw : absl::StrSplit(Av(text), '\n')) {
    ++number;
    const size_t hash = raw.find('#');
    if (hash != absl::string_view::npos) raw = raw.substr(0, hash);
    raw = absl::StripAsciiWhitespace(raw);
    if (raw.empty()) continue;
    const size_t eq = raw.find('=');
    const auto where = absl::StrCat(Shown(name_or_file), ":", number, ": ");
    if (eq == absl::string_view::npos) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, "expected `knob = value` or `base = NAME`, got '", Shown(Sv(raw)), "'"));
    }
    std::string key(absl::StripAsciiWhitespace(raw.substr(0, eq)));
    std::string value(absl::StripAsciiWhitespace(raw.substr(eq + 1)));
    if (key == "base") {
      if (!base.empty()) return absl::InvalidArgumentError(absl::StrCat(where, "second `base` line"));
      if (FindBuiltin(value) == nullptr) {
        return absl::InvalidArgumentError(absl::StrCat(where, "unknown base profile '", Shown(value),
                                                       "' (built-in: ", BuiltinNames(), ")"));
      }
      base = value;
      continue;
    }
    lines.push_back({number, std::move(key), std::move(value)});
  }
  if (base.empty() && lines.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "profile file '", Shown(name_or_file), "' has no `knob = value` or `base = NAME` line"));
  }
  Profile p;
  p.name = std::string(name_or_file);
  if (!base.empty()) p.knobs = FindBuiltin(base)->knobs;
  p.description = base.empty() ? absl::StrCat("profile file ", Av(name_or_file))
                               : absl::StrCat("profile file ", Av(name_or_file), " (base ", base, ")");
  for (const Line& l : lines) {
    absl::Status s = SetKnob(p.knobs, l.key, l.value);
    if (!s.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(Shown(name_or_file), ":", l.number, ": ", s.message()));
    }
  }
  return p;
}

absl::Status ApplySet(Profile& p, std::string_view assignment) {
  const size_t eq = assignment.find('=');
  if (eq == std::string_view::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat("bad --set '", Av(assignment), "': expected knob=value"));
  }
  const std::string key(absl::StripAsciiWhitespace(Av(assignment.substr(0, eq))));
  return SetKnob(p.knobs, key, assignment.substr(eq + 1));
}

std::string FormatKnobs(const Knobs& k) {
  std::string out;
  for (const auto& d : Defs()) absl::StrAppend(&out, Av(d.name), " = ", d.get(k), "\n");
  return out;
}

hwmodel::HardwareOptions HardwareOptionsFor(const Knobs& k) {
  hwmodel::HardwareOptions o;
  o.sysmmu_version = k.sysmmu_version;
  o.sysmmu_vm = k.sysmmu_vm;
  return o;
}

absl::Status CheckKnobsForBoard(const Knobs& k, const hwmodel::Board& board) {
  absl::Status s = hwmodel::ValidateHardwareOptions(HardwareOptionsFor(k), board);
  if (s.ok()) return s;
  return absl::InvalidArgumentError(
      absl::StrCat("knobs on board ", board.name, ": ", s.message()));
}

hwmodel::BoardFacts ResolveForBoard(Knobs& k, const hwmodel::Board& board) {
  hwmodel::BoardFacts f = hwmodel::BoardFactsOf(board);
  if (k.arch_from_board) {
    k.arch = f.arch == "arm32" ? Arch::kArm32 : Arch::kArm64;
  } else {
    f.arch = k.arch == Arch::kArm64 ? "arm64" : "arm32";
    f.arch_source = "set";
  }
  if (k.sysmmu_version != 0) {
    f.sysmmu_version = k.sysmmu_version;
    f.sysmmu_version_source = "set";
  }
  // A default that a knob replaced needs no note.
  if (f.arch_source != "default" && f.sysmmu_version_source != "default") f.note.clear();
  return f;
}

}  // namespace probestorm::kernel
