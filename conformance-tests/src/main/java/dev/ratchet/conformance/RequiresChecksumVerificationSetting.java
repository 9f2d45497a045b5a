package dev.ratchet.conformance;

import net.jqwik.api.lifecycle.AddLifecycleHook;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a property that needs {@link dev.ratchet.spi.Tracker#withChecksumVerification} to answer;
 * skipped for a tracker that keeps the SPI's default (no checksums to verify).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@AddLifecycleHook(CapabilityHook.class)
public @interface RequiresChecksumVerificationSetting {
}
