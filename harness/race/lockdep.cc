#include "harness/race/lockdep.h"

#include <algorithm>
#include <cstdint>

#include "absl/strings/str_cat.h"
#include "harness/engine.h"
#include "harness/invariants/lock_order.h"

namespace probestorm::harness {

int LockDep::ClassIdByName(const char* lock_class, bool create, RecentClass& slot) {
  const std::string_view name(lock_class);
  int id = -1;
  if (auto it = ids_.find(name); it != ids_.end()) {
    id = it->second;
  } else {
    if (!create) return -1;
    id = static_cast<int>(names_.size());
    ids_.emplace(names_.emplace_back(name), id);
    edges_.emplace_back();
  }
  slot = {lock_class, id};
  return id;
}

std::vector<int>& LockDep::HeldGrow(uint32_t task) {
  held_.resize(task + 1);
  return held_[task];
}

bool LockDep::FindPath(int from, int to, std::vector<int>& path) {
  // Depth-first over edges in creation order: deterministic.
  std::vector<char> seen(names_.size(), 0);
  std::vector<std::pair<int, size_t>> stack{{from, 0}};
  seen[static_cast<size_t>(from)] = 1;
  while (!stack.empty()) {
    auto& [node, next] = stack.back();
    if (node == to) {
      path.clear();
      for (auto& [n, _] : stack) path.push_back(n);
      return true;
    }
    const auto& out = edges_[static_cast<size_t>(node)];
    if (next >= out.size()) {
      stack.pop_back();
      continue;
    }
    const int m = out[next++].to;
    if (!seen[static_cast<size_t>(m)]) {
      seen[static_cast<size_t>(m)] = 1;
      stack.emplace_back(m, 0);
    }
  }
  return false;
}

void LockDep::Acquire(uint32_t task, const char* lock_class) {
  std::string cycle_msg;
  std::string detail;
  {
    std::lock_guard<RunLock> g(mu_);
    const int b = ClassId(lock_class, true);
    auto& held = Held(task);
    for (int a : held) {
      if (a == b) continue;
      auto& out = edges_[static_cast<size_t>(a)];
      if (std::any_of(out.begin(), out.end(), [b](const Edge& e) { return e.to == b; })) continue;
      std::vector<int> path;
      if (!reported_ && FindPath(b, a, path)) {
        reported_ = true;
        cycle_msg = absl::StrCat("possible circular locking dependency: ", names_[static_cast<size_t>(a)],
                                 " -> ", names_[static_cast<size_t>(b)], " (", engine_->TaskName(task),
                                 ") closes the cycle");
        detail = "existing chain:\n";
        for (size_t i = 0; i + 1 < path.size(); ++i) {
          for (const Edge& e : edges_[static_cast<size_t>(path[i])]) {
            if (e.to == path[i + 1]) absl::StrAppend(&detail, "  ", e.how, "\n");
          }
        }
        absl::StrAppend(&detail, "new edge:\n  T", task, " ", engine_->TaskName(task), ": ",
                        names_[static_cast<size_t>(a)], " -> ", names_[static_cast<size_t>(b)], "\n");
      }
      out.push_back({b, absl::StrCat("T", task, " ", engine_->TaskName(task), ": ",
                                     names_[static_cast<size_t>(a)], " -> ",
                                     names_[static_cast<size_t>(b)])});
    }
    held.push_back(b);
  }
  if (!cycle_msg.empty()) {
    engine_->Report(invariants::kLockOrder, invariants::kLockOrder.severity, std::move(cycle_msg),
                    {}, std::move(detail));
  }
}

void LockDep::Release(uint32_t task, const char* lock_class) {
  std::lock_guard<RunLock> g(mu_);
  const int id = ClassId(lock_class, false);
  if (id < 0) return;
  auto& held = Held(task);
  for (size_t i = held.size(); i-- > 0;) {
    if (held[i] == id) {
      held.erase(held.begin() + static_cast<long>(i));
      break;
    }
  }
}

}  // namespace probestorm::harness
