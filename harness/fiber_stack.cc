#include "harness/fiber_stack.h"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <new>
#include <vector>

namespace probestorm::harness {
namespace {

struct FreeStack {
  void* base;    // start of the mapping (guard page)
  size_t bytes;  // usable size, above the guard page
};

// Stacks are kept per size; in practice one size per process.
struct Pool {
  std::vector<FreeStack> free;
  ~Pool() {
    const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
    for (auto& s : free) munmap(s.base, s.bytes + page);
  }
};

thread_local Pool pool;
constexpr size_t kMaxPooled = 16384;

}  // namespace

boost::context::stack_context PooledStack::allocate() {
  const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  const size_t usable = (bytes_ + page - 1) / page * page;
  void* base = nullptr;
  for (size_t i = pool.free.size(); i-- > 0;) {
    if (pool.free[i].bytes == usable) {
      base = pool.free[i].base;
      pool.free[i] = pool.free.back();
      pool.free.pop_back();
      break;
    }
  }
  if (base == nullptr) {
    base = mmap(nullptr, usable + page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (base == MAP_FAILED) throw std::bad_alloc();
    mprotect(base, page, PROT_NONE);  // guard page at the low end: overflow faults
  }
  boost::context::stack_context sc;
  sc.size = usable;
  sc.sp = static_cast<char*>(base) + page + usable;  // stacks grow down
  if (out_ != nullptr) *out_ = sc;
  return sc;
}

void PooledStack::deallocate(boost::context::stack_context& sc) noexcept {
  const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  void* base = static_cast<char*>(sc.sp) - sc.size - page;
  if (pool.free.size() < kMaxPooled) {
    pool.free.push_back({base, sc.size});
  } else {
    munmap(base, sc.size + page);
  }
}

size_t PooledStackHighWater() {
  const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  size_t deepest = 0;
  std::vector<unsigned char> resident;
  for (const FreeStack& s : pool.free) {
    char* low = static_cast<char*>(s.base) + page;  // above the guard page
    resident.assign(s.bytes / page, 0);
    if (mincore(low, s.bytes, resident.data()) != 0) continue;
    for (size_t i = 0; i < resident.size(); ++i) {
      if ((resident[i] & 1) != 0) {
        deepest = std::max(deepest, s.bytes - i * page);  // from the top down to this page
        break;
      }
    }
  }
  return deepest;
}

}  // namespace probestorm::harness
