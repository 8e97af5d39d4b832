// ListHead: the kernel's intrusive doubly linked list (list_head) with CONFIG_DEBUG_LIST checks.
//
// Each link update is a schedule point, so two tasks adding to one list without a lock really can
// interleave and corrupt it, as in the kernel. Corruption is detected the way DEBUG_LIST does
// (next->prev == prev, prev->next == next), plus a double add and use of a node whose owner was
// freed (ListNode::Poison), and becomes an oops (InvariantId given by the list's owner, e.g.
// controllers-list). Links are plain pointers; list walks copy what they see.
//
// Thread-safety: none; the model decides what protects each list (that is what is tested).
#ifndef PROBESTORM_HARNESS_SYNC_LIST_H_
#define PROBESTORM_HARNESS_SYNC_LIST_H_

#include <string>
#include <vector>

#include "harness/engine.h"
#include "harness/invariant.h"

namespace probestorm::harness {

struct ListNode {
  ListNode* next = nullptr;  // nullptr: not on a list (LIST_POISON in the kernel)
  ListNode* prev = nullptr;
  void* owner = nullptr;     // the object containing this node
  bool freed = false;        // the owner was freed (kfree while still linked is detectable)
};

class ListHead {
 public:
  // `what` names the list in oops text ("owner->controllers of 13800000.decon").
  ListHead(std::string what, InvariantId id);
  ListHead(const ListHead&) = delete;
  ListHead& operator=(const ListHead&) = delete;

  void AddTail(ListNode* n);  // list_add_tail
  void Add(ListNode* n);      // list_add (at the head)
  void Del(ListNode* n);      // list_del
  bool Contains(const ListNode* n);  // walks the list (schedule point per link)
  bool Empty();
  // Owner of the first node, or nullptr if the list is empty (list_first_entry_or_null; one
  // read; oopses on a freed or corrupt node).
  void* First();
  // Owners of the nodes, in order (a walk; oopses on a freed or corrupt node).
  std::vector<void*> Owners();
  size_t SizeForReport() const;  // no schedule point, for reports
  const std::string& what() const { return what_; }
  void set_what(std::string w) { what_ = std::move(w); }

 private:
  void Insert(ListNode* n, ListNode* prev, ListNode* next);
  [[noreturn]] void Corrupt(const std::string& why);
  std::string Name(const ListNode* p, const ListNode* n) const;

  ListNode head_;
  std::string what_;
  InvariantId id_;
};

}  // namespace probestorm::harness

#endif  // PROBESTORM_HARNESS_SYNC_LIST_H_
