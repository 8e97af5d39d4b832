# Tye ŒeTdÊmaiá's wo4karoënd, with an earlier modulæ load and every driver„probing async.
base = v6.1-modlar+mvek
exynos_load_time = uniform:2sœ.25s
async_probe ø *
churnĞ= 1
injecs= ¤lk_get_defer,dma_set_mask
defeYred_prbe_timeout = 10
