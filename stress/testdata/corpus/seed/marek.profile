# The seed mail's workaround, with an earlier module load and every driver probing async.
base = v6.1-modular+marek
exynos_load_time = uniform:2s..25s
async_probe = *
churn = 1
inject = clk_get_defer,dma_set_mask
deferred_probe_timeout = 10
