#include "driver/profile.h"

#include <cstdio>
#include <fstream>

#include <unistd.h>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "hwmodel/dt/tm2e_testdata.h"

namespace probestorm::kernel {
namespace {

using ::testing::HasSubstr;

std::string WriteTemp(const std::string& name, const std::string& text) {
  const std::string path = ::testing::TempDir() + "/" + std::to_string(getpid()) + "_" + name;
  std::ofstream(path) << text;
  return path;
}

const Profile& Builtin(const std::string& name) {
  for (const auto& p : BuiltinProfiles()) {
    if (p.name == name) return p;
  }
  ADD_FAILURE() << "no built-in " << name;
  return BuiltinProfiles()[0];
}

TEST(ProfileTest, BuiltinStackInOrder) {
  std::vector<std::string> names;
  for (const auto& p : BuiltinProfiles()) names.push_back(p.name);
  EXPECT_THAT(names, ::testing::ElementsAre("v6.1", "v6.1-modular", "v6.1-modular+initfix",
                                            "v6.1-modular+marek", "v6.2-modular", "v6.7-modular",
                                            "v6.15-modular"));
}

TEST(ProfileTest, BuiltinContents) {
  const Knobs& v61 = Builtin("v6.1").knobs;
  EXPECT_EQ(v61.exynos_iommu, Linkage::kBuiltin);
  EXPECT_EQ(v61.masters, Linkage::kBuiltin);
  EXPECT_TRUE(v61.iommus_optional);
  EXPECT_EQ(v61.deferred_probe_timeout, 10);
  EXPECT_TRUE(v61.arch_from_board);
  EXPECT_EQ(KnobValue(v61, "arch"), "board");
  EXPECT_EQ(v61.iommu_core, IommuCoreGen::k6_1);
  EXPECT_FALSE(v61.exynos_init_fixed);
  EXPECT_FALSE(v61.exynos_register_last);

  const Knobs& mod = Builtin("v6.1-modular").knobs;
  EXPECT_EQ(mod.exynos_iommu, Linkage::kModule);
  EXPECT_EQ(mod.exynos_load_time.lo, 2 * harness::kSec);
  EXPECT_EQ(mod.exynos_load_time.hi, 40 * harness::kSec);
  EXPECT_FALSE(mod.exynos_init_fixed);

  const Knobs& initfix = Builtin("v6.1-modular+initfix").knobs;
  EXPECT_TRUE(initfix.exynos_init_fixed);
  EXPECT_TRUE(initfix.exynos_register_last);
  EXPECT_EQ(initfix.exynos_iommu, Linkage::kModule);

  const Knobs& marek = Builtin("v6.1-modular+marek").knobs;
  EXPECT_TRUE(marek.exynos_init_fixed);
  EXPECT_EQ(marek.deferred_probe_timeout, 30);
  EXPECT_FALSE(marek.iommus_optional);

  const Knobs& v62 = Builtin("v6.2-modular").knobs;
  EXPECT_EQ(v62.iommu_core, IommuCoreGen::k6_2);
  EXPECT_TRUE(v62.exynos_init_fixed);
  EXPECT_TRUE(v62.iommus_optional);
  EXPECT_EQ(v62.deferred_probe_timeout, 10);
  EXPECT_EQ(Builtin("v6.7-modular").knobs.iommu_core, IommuCoreGen::k6_7);
  EXPECT_EQ(Builtin("v6.15-modular").knobs.iommu_core, IommuCoreGen::k6_15);
  EXPECT_TRUE(Builtin("v6.15-modular").knobs.exynos_register_last);
}

TEST(ProfileTest, KnobValueSyntax) {
  Knobs k;
  for (const char* v : {"true", "1", "on", "TRUE"}) {
    k.fw_devlink_strict = false;
    ASSERT_TRUE(SetKnob(k, "fw_devlink_strict", v).ok()) << v;
    EXPECT_TRUE(k.fw_devlink_strict) << v;
  }
  for (const char* v : {"false", "0", "off"}) {
    k.modules = true;
    ASSERT_TRUE(SetKnob(k, "modules", v).ok()) << v;
    EXPECT_FALSE(k.modules) << v;
  }
  ASSERT_TRUE(SetKnob(k, "exynos_load_time", "fixed:12s").ok());
  EXPECT_EQ(k.exynos_load_time.lo, 12 * harness::kSec);
  EXPECT_EQ(k.exynos_load_time.hi, 12 * harness::kSec);
  EXPECT_EQ(KnobValue(k, "exynos_load_time"), "fixed:12s");
  ASSERT_TRUE(SetKnob(k, "exynos_load_time", "uniform:500ms..3s").ok());
  EXPECT_EQ(KnobValue(k, "exynos_load_time"), "uniform:500ms..3s");
  ASSERT_TRUE(SetKnob(k, "exynos_init_order", "fixed").ok());
  EXPECT_TRUE(k.exynos_init_fixed);
  ASSERT_TRUE(SetKnob(k, "fw_devlink", "rpm").ok());
  EXPECT_EQ(k.fw_devlink, FwDevlinkMode::kRpm);
  ASSERT_TRUE(SetKnob(k, "iommu_core", "6.15").ok());
  EXPECT_EQ(k.iommu_core, IommuCoreGen::k6_15);
  ASSERT_TRUE(SetKnob(k, "arch", "arm32").ok());
  EXPECT_EQ(k.arch, Arch::kArm32);
  EXPECT_EQ(KnobValue(k, "sysmmu_version"), "board");  // default: the board's, else 5
  ASSERT_TRUE(SetKnob(k, "sysmmu_version", "7").ok());
  EXPECT_EQ(k.sysmmu_version, 7);
  ASSERT_TRUE(SetKnob(k, "sysmmu_version", "board").ok());
  EXPECT_EQ(k.sysmmu_version, 0);
  EXPECT_EQ(KnobValue(k, "sysmmu_vm"), "off");
  ASSERT_TRUE(SetKnob(k, "sysmmu_vm", "on").ok());
  EXPECT_TRUE(k.sysmmu_vm);
  EXPECT_EQ(KnobValue(k, "sysmmu_vm"), "on");
  ASSERT_TRUE(SetKnob(k, "deferred_probe_timeout", "-1").ok());
  EXPECT_EQ(k.deferred_probe_timeout, -1);
  ASSERT_TRUE(SetKnob(k, "async_probe", "exynos-sysmmu, *").ok());
  EXPECT_TRUE(k.AsyncProbe("anything"));
  ASSERT_TRUE(SetKnob(k, "async_probe", "").ok());
  EXPECT_FALSE(k.AsyncProbe("exynos-sysmmu"));
  ASSERT_TRUE(SetKnob(k, "inject", "clk_get_defer,dma_set_mask").ok());
  EXPECT_TRUE(k.Injected("dma_set_mask"));
  ASSERT_TRUE(SetKnob(k, "masters", "module").ok());
  EXPECT_EQ(k.masters, Linkage::kModule);
}

TEST(ProfileTest, EveryBadValueNamesKnobValueAndSyntax) {
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"fw_devlink_strict", "maybe"},   {"deferred_probe_timeout", "-2"},
      {"deferred_probe_timeout", "x"},  {"fw_devlink", "strict"},
      {"exynos_iommu", "loadable"},     {"exynos_load_time", "12s"},
      {"exynos_load_time", "uniform:40s..2s"}, {"exynos_load_time", "fixed:abc"},
      {"exynos_init_order", "v6.2"},    {"iommu_core", "6.3"},
      {"arch", "x86"},                  {"sysmmu_version", "4"},
      {"sysmmu_vm", "yes"},
      {"churn", "-1"},                  {"inject", "a b"},
      {"probe_storm", "1001"},
      {"masters", "dynamic"},           {"default_domain", "blocked"},
  };
  for (const auto& [knob, value] : bad) {
    Knobs k;
    absl::Status s = SetKnob(k, knob, value);
    ASSERT_FALSE(s.ok()) << knob << "=" << value;
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(s.message()), HasSubstr(knob));
    EXPECT_THAT(std::string(s.message()), HasSubstr("'" + value + "'"));
    EXPECT_THAT(std::string(s.message()), HasSubstr("expected"));
  }
  Knobs k;
  absl::Status s = SetKnob(k, "no_such_knob", "1");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(s.message()), HasSubstr("unknown knob 'no_such_knob'"));
}

TEST(ProfileTest, FormatKnobsRoundTripsThroughAProfileFile) {
  for (const auto& p : BuiltinProfiles()) {
    const std::string path = WriteTemp("roundtrip.profile", FormatKnobs(p.knobs));
    auto loaded = LoadProfile(path);
    ASSERT_TRUE(loaded.ok()) << loaded.status();
    EXPECT_EQ(FormatKnobs(loaded->knobs), FormatKnobs(p.knobs)) << p.name;
  }
}

TEST(ProfileTest, EveryContractKnobExists) {
  std::vector<std::string> names;
  for (const auto& k : AllKnobs()) names.emplace_back(k.name);
  for (const char* k : {"deferred_probe_timeout", "deferred_probe_extend_on_register", "modules",
                        "fw_devlink", "fw_devlink_strict", "iommus_optional", "exynos_iommu",
                        "exynos_load_time", "masters", "async_probe", "exynos_init_order",
                        "exynos_register_last", "iommu_core", "arch", "trigger_recheck",
                        "sysmmu_version", "churn", "probe_storm", "inject"}) {
    EXPECT_THAT(names, ::testing::Contains(k));
  }
  for (const auto& k : AllKnobs()) EXPECT_FALSE(k.description.empty()) << k.name;
}

TEST(ProfileTest, ProfileFileWithBaseAndComments) {
  const std::string path = WriteTemp("mine.profile",
                                     "# my experiment\n"
                                     "deferred_probe_timeout = 30   # Marek's value\n"
                                     "\n"
                                     "base = v6.1-modular\n"
                                     "iommus_optional = false\n");
  auto p = LoadProfile(path);
  ASSERT_TRUE(p.ok()) << p.status();
  EXPECT_EQ(p->name, path);
  EXPECT_EQ(p->knobs.exynos_iommu, Linkage::kModule);  // from the base
  EXPECT_EQ(p->knobs.deferred_probe_timeout, 30);       // applied after the base
  EXPECT_FALSE(p->knobs.iommus_optional);
}

TEST(ProfileTest, ProfileFileErrorsNameFileAndLine) {
  struct Case {
    std::string text;
    std::string expect;
  };
  const std::vector<Case> cases = {
      {"modules = true\nnonsense\n", ":2: expected `knob = value`"},
      {"base = v9.9\n", ":1: unknown base profile 'v9.9'"},
      {"# c\nfoo = 1\n", ":2: unknown knob 'foo'"},
      {"\n\nfw_devlink = sometimes\n", ":3: bad value 'sometimes' for knob 'fw_devlink'"},
      {"base = v6.1\nbase = v6.1\n", ":2: second `base` line"},
  };
  for (const auto& c : cases) {
    const std::string path = WriteTemp("bad.profile", c.text);
    auto p = LoadProfile(path);
    ASSERT_FALSE(p.ok()) << c.text;
    EXPECT_THAT(std::string(p.status().message()), HasSubstr(path + c.expect)) << p.status();
  }
}

TEST(ProfileTest, UnknownProfileListsBuiltins) {
  auto p = LoadProfile("v6.1-modualr");
  ASSERT_FALSE(p.ok());
  EXPECT_THAT(std::string(p.status().message()), HasSubstr("unknown profile 'v6.1-modualr'"));
  EXPECT_THAT(std::string(p.status().message()), HasSubstr("v6.1-modular+initfix"));
}

TEST(ProfileTest, ApplySet) {
  Profile p = Builtin("v6.1-modular");
  ASSERT_TRUE(ApplySet(p, "exynos_init_order=fixed").ok());
  EXPECT_TRUE(p.knobs.exynos_init_fixed);
  ASSERT_TRUE(ApplySet(p, "async_probe=a,b").ok());
  EXPECT_TRUE(p.knobs.AsyncProbe("b"));
  EXPECT_THAT(std::string(ApplySet(p, "churn").message()), HasSubstr("expected knob=value"));
  EXPECT_THAT(std::string(ApplySet(p, "chrun=1").message()), HasSubstr("unknown knob 'chrun'"));
}

// arch and the SysMMU version of a run come from the board's SoC unless a knob sets them.
TEST(ResolveForBoardTest, ArchFromTheDtbUnlessSet) {
  absl::StatusOr<hwmodel::Board> odroid = hwmodel::testing::LoadTestDtb(hwmodel::testing::OdroidU3DtbPath());
  ASSERT_TRUE(odroid.ok()) << odroid.status();
  Knobs k = Builtin("v6.1-modular").knobs;
  hwmodel::BoardFacts f = ResolveForBoard(k, *odroid);
  EXPECT_EQ(k.arch, Arch::kArm32);
  EXPECT_EQ(f.arch, "arm32");
  EXPECT_EQ(f.arch_source, "dt");
  EXPECT_EQ(f.sysmmu_version, 3);
  EXPECT_EQ(f.sysmmu_version_source, "dt");

  Knobs set = Builtin("v6.1-modular").knobs;
  ASSERT_TRUE(SetKnob(set, "arch", "arm64").ok());
  ASSERT_TRUE(SetKnob(set, "sysmmu_version", "5").ok());
  f = ResolveForBoard(set, *odroid);
  EXPECT_EQ(set.arch, Arch::kArm64);
  EXPECT_EQ(f.arch_source, "set");
  EXPECT_EQ(f.sysmmu_version, 5);
  EXPECT_EQ(f.sysmmu_version_source, "set");
  EXPECT_EQ(f.note, "");
}

TEST(ResolveForBoardTest, UnknownSocFallsBackToArm64WithANoteThatASetSilences) {
  absl::StatusOr<hwmodel::Board> syn = hwmodel::LoadSynthetic("sysmmus=2,masters=1,per_master=1");
  ASSERT_TRUE(syn.ok()) << syn.status();
  Knobs k;
  hwmodel::BoardFacts f = ResolveForBoard(k, *syn);
  EXPECT_EQ(k.arch, Arch::kArm64);
  EXPECT_EQ(f.arch_source, "default");
  EXPECT_THAT(f.note, HasSubstr("names no SoC the model knows"));
  ASSERT_TRUE(SetKnob(k, "arch", "arm32").ok());
  ASSERT_TRUE(SetKnob(k, "sysmmu_version", "3").ok());
  f = ResolveForBoard(k, *syn);
  EXPECT_EQ(k.arch, Arch::kArm32);
  EXPECT_EQ(f.note, "");
}

}  // namespace
}  // namespace probestorm::kernel
