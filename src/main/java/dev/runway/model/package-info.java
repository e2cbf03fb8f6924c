/** The model registry: versions with lineage and metrics, comparison, and their lifecycle (stages, aliases, rules, approvals). */
package dev.runway.model;
