/** UI pieces every feature's views share: empty states, page headers and the one place exceptions become messages. */
package dev.runway.base.ui;
