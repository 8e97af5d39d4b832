#include "harness/sync/list.h"

#include "absl/strings/str_cat.h"

namespace probestorm::harness {

ListHead::ListHead(std::string what, InvariantId id) : what_(std::move(what)), id_(id) {
  head_.next = &head_;
  head_.prev = &head_;
  head_.owner = nullptr;
}

// A node as the oops names it. The kernel prints addresses (%px); host addresses differ from
// process to process and between builds, so the model names the node by its role: a report, its
// signatures and a replay stay the same everywhere.
std::string ListHead::Name(const ListNode* p, const ListNode* n) const {
  if (p == nullptr) return "NULL";
  if (p == &head_) return "the list head";
  if (p == n) return "the node itself";
  return "another node";
}

void ListHead::Corrupt(const std::string& why) {
  Oops(id_, absl::StrCat("list corruption in ", what_, ": ", why),
       {}, "kernel BUG at lib/list_debug.c (CONFIG_DEBUG_LIST)");
}

void ListHead::Insert(ListNode* n, ListNode* prev, ListNode* next) {
  Engine& e = Engine::Current();
  // __list_add_valid
  if (n->freed) Corrupt("list_add of a freed node (use after free)");
  if (n->next != nullptr || n->prev != nullptr) {
    Corrupt(n->next == next || n->prev == prev ? "list_add double add" : "list_add of a node already on a list");
  }
  if (next->prev != prev) {
    Corrupt(absl::StrCat("list_add corruption. next->prev should be prev (", Name(prev, n), "), but was ",
                         Name(next->prev, n)));
  }
  if (prev->next != next) {
    Corrupt(absl::StrCat("list_add corruption. prev->next should be next (", Name(next, n), "), but was ",
                         Name(prev->next, n)));
  }
  // The link updates are separate stores in the kernel too: another task may run between them.
  e.Point(PointKind::kShared);
  next->prev = n;
  n->next = next;
  e.Point(PointKind::kShared);
  n->prev = prev;
  prev->next = n;
}

void ListHead::AddTail(ListNode* n) {
  Engine::Current().Point(PointKind::kShared);
  ListNode* prev = head_.prev;
  Engine::Current().Point(PointKind::kShared);
  Insert(n, prev, &head_);
}

void ListHead::Add(ListNode* n) {
  Engine::Current().Point(PointKind::kShared);
  ListNode* next = head_.next;
  Engine::Current().Point(PointKind::kShared);
  Insert(n, &head_, next);
}

void ListHead::Del(ListNode* n) {
  Engine& e = Engine::Current();
  e.Point(PointKind::kShared);
  if (n->freed) Corrupt("list_del of a freed node (use after free)");
  if (n->next == nullptr || n->prev == nullptr) Corrupt("list_del of a node not on a list (LIST_POISON)");
  ListNode* prev = n->prev;
  ListNode* next = n->next;
  if (prev->next != n) {
    Corrupt(absl::StrCat("list_del corruption. prev->next should be the node itself, but was ", Name(prev->next, n)));
  }
  if (next->prev != n) {
    Corrupt(absl::StrCat("list_del corruption. next->prev should be the node itself, but was ", Name(next->prev, n)));
  }
  next->prev = prev;
  e.Point(PointKind::kShared);
  prev->next = next;
  n->next = nullptr;
  n->prev = nullptr;
}

bool ListHead::Contains(const ListNode* n) {
  Engine& e = Engine::Current();
  size_t guard = 0;
  for (ListNode* p = head_.next; p != &head_; p = p->next) {
    e.Point(PointKind::kShared);
    if (p == nullptr) Corrupt("NULL pointer in list walk");
    if (p->freed) Corrupt("list walk reached a freed node (use after free)");
    if (p == n) return true;
    if (++guard > 1'000'000) Corrupt("list walk does not terminate (cycle)");
  }
  return false;
}

bool ListHead::Empty() {
  Engine::Current().Point(PointKind::kShared);
  return head_.next == &head_;
}

void* ListHead::First() {
  Engine::Current().Point(PointKind::kShared);
  ListNode* p = head_.next;
  if (p == &head_) return nullptr;
  if (p == nullptr) Corrupt("NULL pointer in list walk");
  if (p->freed) Corrupt("list walk reached a freed node (use after free)");
  return p->owner;
}

std::vector<void*> ListHead::Owners() {
  Engine& e = Engine::Current();
  std::vector<void*> out;
  for (ListNode* p = head_.next; p != &head_; p = p->next) {
    e.Point(PointKind::kShared);
    if (p == nullptr) Corrupt("NULL pointer in list walk");
    if (p->freed) Corrupt("list walk reached a freed node (use after free)");
    out.push_back(p->owner);
    if (out.size() > 1'000'000) Corrupt("list walk does not terminate (cycle)");
  }
  return out;
}

size_t ListHead::SizeForReport() const {
  size_t n = 0;
  for (const ListNode* p = head_.next; p != &head_ && p != nullptr && n < 1'000'000; p = p->next) ++n;
  return n;
}

}  // namespace probestorm::harness
