#include "driver/invariants/checker.h"

#include <memory>

#include "driver/kernel.h"

namespace probestorm::kernel::invariants {

Checker::Checker(const Kernel& k)
    : deferred_lists(k.board.nodes.size()),
      dev_iommu_freed_in_use(k.board.nodes.size()),
      dma_ops_on_bound(k.board.nodes.size()),
      double_iommu_probe(k.board.nodes.size()),
      iommu_bypass(k.board.nodes.size()),
      probe_exclusive(k.board.nodes.size()),
      stall(k.board.nodes.size()) {}

Checker& checker(Kernel& k) {
  if (!k.checker) k.checker = std::make_shared<Checker>(k);
  return *k.checker;
}

}  // namespace probestorm::kernel::invariants
