package dev.runway.tenancy;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * On a route: only platform operators ({@link Operators}) may open it. To everyone else, signed in or not, the address
 * answers exactly as one that does not exist, and the navigation never lists it.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface OperatorOnly {}
