#include "hwmodel/hw/phys_memory.h"

#include <cassert>
#include <mutex>
#include <utility>

#include "absl/strings/str_format.h"
#include "harness/trace/trace.h"

namespace probestorm::hwmodel {

namespace {

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// The allocator is shared state: allocation and free are schedule points (alloc_pages takes the
// zone lock). Outside a running engine there is nothing to schedule.
void AllocatorPoint() {
  if (harness::Engine* e = harness::Engine::CurrentOrNull()) e->Point(harness::PointKind::kShared);
}

void TraceIfEngine(std::string_view func, std::string_view detail) {
  if (harness::Engine::CurrentOrNull() != nullptr) harness::TraceLog("", func, detail);
}

}  // namespace

bool IsPageTableOwner(std::string_view owner) {
  return StartsWith(owner, "pgtable") || StartsWith(owner, "lv1") || StartsWith(owner, "lv2");
}

PhysMemory::PhysMemory(PhysAddr base, uint64_t size) : base_(base), size_(size) {
  constexpr uint64_t kMaxBlock = kPageSize << kMaxOrder;
  assert(base != 0 && base % kMaxBlock == 0 && size % kMaxBlock == 0);
  for (PhysAddr a = base; a < base + size; a += kMaxBlock) free_[kMaxOrder].insert(a);
}

PhysAddr PhysMemory::AllocPages(int order, std::string owner) {
  AllocatorPoint();
  if (order < 0 || order > kMaxOrder) return 0;
  harness::RawLockGuard g(mu_);
  int o = order;
  while (o <= kMaxOrder && free_[static_cast<size_t>(o)].empty()) ++o;
  if (o > kMaxOrder) return 0;
  auto& list = free_[static_cast<size_t>(o)];
  const PhysAddr addr = *list.begin();
  list.erase(list.begin());
  // Split: keep the low half, free the high halves (buddy allocator).
  while (o > order) {
    --o;
    free_[static_cast<size_t>(o)].insert(addr + (kPageSize << o));
  }
  auto tag = std::make_shared<const std::string>(std::move(owner));
  const uint64_t pages = uint64_t{1} << order;
  for (uint64_t i = 0; i < pages; ++i) {
    Frame& f = frames_[(addr >> kPageShift) + i];
    f.owner = tag;
    f.block_start = addr;
    f.block_order = order;
    f.words.reset();  // zero-filled: storage appears on first write
  }
  return addr;
}

bool PhysMemory::FreePages(PhysAddr addr, int order) {
  AllocatorPoint();
  std::string why;
  {
    harness::RawLockGuard g(mu_);
    const Frame* f = FindLocked(addr);
    if (f == nullptr) {
      why = "not allocated";
    } else if (f->block_start != addr || f->block_order != order) {
      why = absl::StrFormat("allocation is 0x%x order %d", f->block_start, f->block_order);
    }
    if (why.empty()) {
      const uint64_t pages = uint64_t{1} << order;
      for (uint64_t i = 0; i < pages; ++i) frames_.erase((addr >> kPageShift) + i);
      // Coalesce with free buddies.
      PhysAddr a = addr;
      int o = order;
      while (o < kMaxOrder) {
        const PhysAddr buddy = base_ + ((a - base_) ^ (kPageSize << o));
        auto& list = free_[static_cast<size_t>(o)];
        auto it = list.find(buddy);
        if (it == list.end()) break;
        list.erase(it);
        a = std::min(a, buddy);
        ++o;
      }
      free_[static_cast<size_t>(o)].insert(a);
      return true;
    }
    ++bad_frees_;
  }
  TraceIfEngine("free_pages",
                absl::StrFormat("BUG: Bad page state: free of 0x%x order %d: %s", addr, order, why));
  return false;
}

const PhysMemory::Frame* PhysMemory::FindLocked(PhysAddr addr) const {
  auto it = frames_.find(addr >> kPageShift);
  return it == frames_.end() ? nullptr : &it->second;
}

PhysMemory::Frame* PhysMemory::FindLocked(PhysAddr addr) {
  auto it = frames_.find(addr >> kPageShift);
  return it == frames_.end() ? nullptr : &it->second;
}

uint32_t PhysMemory::Read32(PhysAddr addr) const {
  harness::RawLockGuard g(mu_);
  const Frame* f = FindLocked(addr);
  if (f == nullptr || !f->words) return 0;
  return (*f->words)[(addr & (kPageSize - 1)) >> 2];
}

void PhysMemory::Write32(PhysAddr addr, uint32_t value) {
  harness::RawLockGuard g(mu_);
  Frame* f = FindLocked(addr);
  if (f == nullptr) {
    ++stray_writes_;
    return;
  }
  if (!f->words) {
    if (value == 0) return;
    f->words = std::make_unique<std::array<uint32_t, kPageSize / 4>>();
    f->words->fill(0);
  }
  (*f->words)[(addr & (kPageSize - 1)) >> 2] = value;
}

void PhysMemory::Fill32(PhysAddr addr, uint32_t value, size_t count) {
  for (size_t i = 0; i < count; ++i) Write32(addr + 4 * i, value);
}

std::string PhysMemory::Owner(PhysAddr addr) const {
  harness::RawLockGuard g(mu_);
  const Frame* f = FindLocked(addr);
  return f == nullptr ? std::string() : *f->owner;
}

bool PhysMemory::IsAllocated(PhysAddr addr) const {
  harness::RawLockGuard g(mu_);
  return FindLocked(addr) != nullptr;
}

uint64_t PhysMemory::allocated_pages() const {
  harness::RawLockGuard g(mu_);
  return frames_.size();
}

uint64_t PhysMemory::stray_writes() const {
  harness::RawLockGuard g(mu_);
  return stray_writes_;
}

uint64_t PhysMemory::bad_frees() const {
  harness::RawLockGuard g(mu_);
  return bad_frees_;
}

}  // namespace probestorm::hwmodel
