package io.portlink.platform;

import java.util.List;

/**
 * Settings a feature must not start with, for {@link ProductionSettings} to name together with its own in the one
 * message that stops a start: an operator mends them all at once instead of meeting them one start after another. A
 * bean of this type in a feature package (the first organisation's settings: {@code organization.Bootstrap}) is asked
 * before any start observer of that feature runs.
 */
public interface StartCheck {

    /** What is wrong, one sentence each naming the environment variable to set; empty when nothing is. */
    List<String> problems();
}
