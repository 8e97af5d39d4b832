// ListHead (CONFIG_DEBUG_LIST checks) and Kref (refcount_t checks): each corruption becomes an
// oops finding with the owner's invariant id; correct use stays silent. Two unlocked concurrent
// AddTail calls are covered in harness/sched/exploration_test.cc.
#include "harness/sync/list.h"
#include "harness/test_invariants.h"

#include <functional>
#include <memory>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "harness/controlled_engine.h"
#include "harness/sched/random_scheduler.h"
#include "harness/sync/kref.h"

namespace probestorm::harness {
namespace {

using ::testing::HasSubstr;

// Runs `body` as one task; returns the run and whether the body ran to its end.
RunResult RunTask(const std::function<void()>& body, bool* finished) {
  RandomScheduler s;
  EngineOptions o;
  ControlledEngine e(o, &s);
  Engine::Scope scope(e);
  *finished = false;
  e.Spawn("t", [&] {
    body();
    *finished = true;
  });
  return e.Run();
}

void ExpectListOops(const RunResult& r, bool finished, std::string_view what) {
  EXPECT_FALSE(finished);  // the oops ended the task
  EXPECT_EQ(r.ending, Ending::kFinding);
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].invariant, "controllers-list");
  EXPECT_THAT(r.findings[0].message, HasSubstr("list corruption in owner->controllers"));
  EXPECT_THAT(r.findings[0].message, HasSubstr(std::string(what)));
  EXPECT_THAT(r.findings[0].detail, HasSubstr("lib/list_debug.c"));
}

TEST(ListHead, DoubleAddOopses) {
  ListHead list("owner->controllers", test_invariants::kControllersList);
  ListNode n;
  bool finished;
  RunResult r = RunTask([&] {
    list.AddTail(&n);
    list.AddTail(&n);
  }, &finished);
  ExpectListOops(r, finished, "double add");
}

// The text names nodes by role, not by host address: the same corruption reads the same in every
// process and build (finding signatures, reports across compilers).
TEST(ListHead, CorruptionTextNamesNodesNotAddresses) {
  ListHead list("owner->controllers", test_invariants::kControllersList);
  ListNode a, stray, c;
  bool finished;
  RunResult r = RunTask([&] {
    list.AddTail(&a);
    a.next = &stray;  // a lost update: a's next no longer points back to the head
    list.AddTail(&c);
  }, &finished);
  ExpectListOops(r, finished, "list_add corruption");
  EXPECT_THAT(r.findings[0].message,
              HasSubstr("prev->next should be next (the list head), but was another node"));
  EXPECT_THAT(r.findings[0].message, ::testing::Not(::testing::ContainsRegex("0x[0-9a-f]")));
}

TEST(ListHead, DeleteOfAbsentNodeOopses) {
  ListHead list("owner->controllers", test_invariants::kControllersList);
  ListNode n;
  bool finished;
  RunResult r = RunTask([&] { list.Del(&n); }, &finished);
  ExpectListOops(r, finished, "not on a list");
}

TEST(ListHead, WalkOverFreedNodeOopses) {
  ListHead list("owner->controllers", test_invariants::kControllersList);
  ListNode a, b;
  bool finished;
  RunResult r = RunTask([&] {
    list.AddTail(&a);
    list.AddTail(&b);
    a.freed = true;  // kfree(data) while still linked
    (void)list.Contains(&b);
  }, &finished);
  ExpectListOops(r, finished, "freed node (use after free)");
}

// Links one node, frees it while still linked (kfree(data) without list_del), then runs `use`.
void ExpectOopsOnFreedLinkedNode(const std::function<void(ListHead&, ListNode&)>& use,
                                 std::string_view what) {
  ListHead list("owner->controllers", test_invariants::kControllersList);
  ListNode a;
  bool finished;
  RunResult r = RunTask([&] {
    list.AddTail(&a);
    a.freed = true;
    use(list, a);
  }, &finished);
  ExpectListOops(r, finished, what);
}

TEST(ListHead, FirstEntryFreedOopses) {
  ExpectOopsOnFreedLinkedNode([](ListHead& l, ListNode&) { (void)l.First(); },
                              "freed node (use after free)");
}

TEST(ListHead, DeleteOfFreedNodeOopses) {
  ExpectOopsOnFreedLinkedNode([](ListHead& l, ListNode& n) { l.Del(&n); }, "list_del of a freed node");
}

TEST(ListHead, CorrectUseIsSilent) {
  ListHead list("owner->controllers", test_invariants::kControllersList);
  int x = 1, y = 2, z = 3;
  ListNode a{.owner = &x}, b{.owner = &y}, c{.owner = &z};
  bool finished;
  std::vector<void*> owners;
  void* first = nullptr;
  void* first_after = &x;
  bool empty_after = false;
  RunResult r = RunTask([&] {
    list.AddTail(&a);
    list.AddTail(&b);
    list.Add(&c);  // at the head
    owners = list.Owners();
    first = list.First();
    list.Del(&b);
    list.Del(&a);
    list.AddTail(&a);  // re-adding a deleted node is fine
    list.Del(&a);
    list.Del(&c);
    empty_after = list.Empty();
    first_after = list.First();
  }, &finished);
  EXPECT_TRUE(finished);
  EXPECT_TRUE(r.findings.empty());
  EXPECT_EQ(owners, (std::vector<void*>{&z, &x, &y}));
  EXPECT_EQ(first, &z);
  EXPECT_EQ(first_after, nullptr);
  EXPECT_TRUE(empty_after);
  EXPECT_EQ(list.SizeForReport(), 0u);
}

TEST(Kref, UnderflowOopses) {
  int released = 0;
  Kref ref("sysmmu_drvdata", test_invariants::kDevIommuFreedInUse);
  bool finished;
  RunResult r = RunTask([&] {
    ref.Put([&] { ++released; });
    ref.Put([&] { ++released; });
  }, &finished);
  EXPECT_FALSE(finished);
  EXPECT_EQ(released, 1);
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].invariant, "dev-iommu-freed-in-use");
  EXPECT_THAT(r.findings[0].message, HasSubstr("refcount_t: underflow; use-after-free of sysmmu_drvdata"));
}

TEST(Kref, GetAfterReleaseOopses) {
  Kref ref("fwspec", test_invariants::kDevIommuFreedInUse);
  bool finished;
  RunResult r = RunTask([&] {
    ref.Put([] {});
    ref.Get();
  }, &finished);
  EXPECT_FALSE(finished);
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_THAT(r.findings[0].message, HasSubstr("refcount_t: addition on 0"));
}

TEST(Kref, BalancedGetPutIsSilent) {
  int released = 0;
  Kref ref("group", test_invariants::kDoubleIommuProbe);
  bool finished;
  RunResult r = RunTask([&] {
    ref.Get();
    ref.Get();
    EXPECT_FALSE(ref.Put([&] { ++released; }));
    EXPECT_FALSE(ref.Put([&] { ++released; }));
    EXPECT_TRUE(ref.Put([&] { ++released; }));
  }, &finished);
  EXPECT_TRUE(finished);
  EXPECT_TRUE(r.findings.empty());
  EXPECT_EQ(released, 1);
  EXPECT_EQ(ref.Peek(), 0);
}

}  // namespace
}  // namespace probestorm::harness
