#include "harness/timer_queue.h"

#include <string>
#include <vector>

#include "gtest/gtest.h"

namespace probestorm::harness {
namespace {

TEST(TimerQueue, FiresByDeadlineThenByStartOrder) {
  TimerQueue<std::string> q;
  q.Add(30, "c");
  q.Add(10, "a1");
  q.Add(20, "b");
  q.Add(10, "a2");
  std::vector<std::string> order;
  while (!q.empty()) order.push_back(q.PopFirst().second);
  EXPECT_EQ(order, (std::vector<std::string>{"a1", "a2", "b", "c"}));
}

TEST(TimerQueue, IdsGrowAndCancelRemovesOnlyPendingTimers) {
  TimerQueue<int> q;
  const TimerId a = q.Add(5, 1).first;
  const TimerId b = q.Add(5, 2).first;
  EXPECT_LT(a, b);
  EXPECT_TRUE(q.Cancel(a));
  EXPECT_FALSE(q.Cancel(a));  // already gone
  EXPECT_EQ(q.size(), 1u);
  auto [id, rec] = q.PopFirst();
  EXPECT_EQ(id, b);
  EXPECT_EQ(rec, 2);
  EXPECT_FALSE(q.Cancel(b));  // fired
  EXPECT_FALSE(q.Cancel(12345));  // never existed
}

TEST(TimerQueue, CountsWaitedTimersThroughCancelPopAndClear) {
  TimerQueue<int> q;
  const TimerId daemon = q.Add(1, 0, /*waited=*/false).first;
  EXPECT_EQ(q.waited(), 0u);
  const TimerId waited = q.Add(2, 0).first;
  q.Add(3, 0);
  EXPECT_EQ(q.waited(), 2u);
  EXPECT_TRUE(q.Cancel(waited));
  EXPECT_EQ(q.waited(), 1u);
  EXPECT_EQ(q.PopFirst().first, daemon);
  EXPECT_EQ(q.waited(), 1u);
  EXPECT_EQ(q.next_deadline(), 3);
  q.Clear();
  EXPECT_TRUE(q.empty());
  EXPECT_EQ(q.waited(), 0u);
}

TEST(TimerQueue, RecordKeepsItsAddressUntilItFires) {
  TimerQueue<std::string> q;
  auto [id, rec] = q.Add(7, "first");
  std::string* where = &rec;
  for (int i = 0; i < 100; ++i) q.Add(i, "other");
  EXPECT_EQ(*where, "first");
  EXPECT_TRUE(q.Cancel(id));
}

}  // namespace
}  // namespace probestorm::harness
