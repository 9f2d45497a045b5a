package dev.ratchet.conformance;

import dev.ratchet.ChecksumVerification;
import dev.ratchet.spi.Capability;
import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;

import java.util.Optional;

/**
 * Skips a property marked {@link RequiresCapability} when the tracker under test does not
 * claim one of its capabilities (and one marked {@link RequiresRowDeleter} or
 * {@link RequiresChecksumVerificationSetting} without what it needs). A claimed capability is
 * always tested.
 */
public final class CapabilityHook implements SkipExecutionHook {
    @Override
    public SkipResult shouldBeSkipped(LifecycleContext context) {
        Optional<RequiresCapability> required = context.findAnnotation(RequiresCapability.class);
        boolean needsDeleter = context.findAnnotation(RequiresRowDeleter.class).isPresent();
        boolean needsSetting = context.findAnnotation(RequiresChecksumVerificationSetting.class).isPresent();
        Optional<Class<?>> container = context.optionalContainerClass();
        if ((required.isEmpty() && !needsDeleter && !needsSetting) || container.isEmpty()
                || !TrackerContract.class.isAssignableFrom(container.get())) {
            return SkipResult.doNotSkip();
        }
        TrackerContract contract = (TrackerContract) context.newInstance(container.get());
        if (needsDeleter && contract.rowDeleter().isEmpty()) {
            return SkipResult.skip("no rowDeleter(): rows deleted from the tracker table by hand are not tested");
        }
        if (needsSetting && contract.tracker().withChecksumVerification(ChecksumVerification.FAIL).isEmpty()) {
            return SkipResult.skip("the " + contract.tracker().id() + " tracker's withChecksumVerification() is empty:"
                    + " its checksum verification cannot be set by name");
        }
        if (required.isEmpty()) {
            return SkipResult.doNotSkip();
        }
        for (Capability capability : required.get().value()) {
            if (!contract.tracker().capabilities().contains(capability)) {
                return SkipResult.skip("the " + contract.tracker().id() + " tracker does not claim " + capability);
            }
        }
        return SkipResult.doNotSkip();
    }
}
