// Invariants for the harness's own tests. The model's invariants live above the harness
// (driver/invariants/, hwmodel/invariants/); a harness test that plants a bug reports one of these
// stand-ins, which carry the model's names so that the tests read like the scenarios they mimic.
//
// Thread-safety: immutable constants.
#ifndef PROBESTORM_HARNESS_TEST_INVARIANTS_H_
#define PROBESTORM_HARNESS_TEST_INVARIANTS_H_

#include "harness/invariant.h"

namespace probestorm::harness::test_invariants {

inline constexpr InvariantDef kXlateUninitController{.name = "xlate-uninit-controller",
                                                     .what = "test stand-in"};
inline constexpr InvariantDef kDevIommuFreedInUse{.name = "dev-iommu-freed-in-use",
                                                  .what = "test stand-in"};
inline constexpr InvariantDef kDomainAllocUninit{.name = "domain-alloc-uninit",
                                                 .what = "test stand-in"};
inline constexpr InvariantDef kDoubleIommuProbe{.name = "double-iommu-probe", .what = "test stand-in"};
inline constexpr InvariantDef kControllersList{.name = "controllers-list", .what = "test stand-in"};
inline constexpr InvariantDef kSysmmuFault{.name = "sysmmu-fault", .what = "test stand-in"};
inline constexpr InvariantDef kDeferredLists{.name = "deferred-lists", .what = "test stand-in"};
inline constexpr InvariantDef kLostUpdate{.name = "lost-update", .what = "test stand-in"};

}  // namespace probestorm::harness::test_invariants

#endif  // PROBESTORM_HARNESS_TEST_INVARIANTS_H_
