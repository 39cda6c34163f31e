package io.portlink.inventory;

import java.util.Map;

/**
 * Someone other than the organisation who keeps a warehouse's physical on hand: a dropship supplier, whose figures the
 * merchant's sync writes into the warehouse named after it. The catalogue refuses typed quantities there. A feature
 * above {@code inventory} implements it, so the catalogue knows the rule without knowing the feature.
 */
public interface StockKeeper {

    /**
     * The keeper's name for each warehouse of the organisation it keeps, by warehouse id; a warehouse the organisation
     * counts itself is absent.
     */
    Map<Long, String> keptWarehouses(long organizationId);
}
