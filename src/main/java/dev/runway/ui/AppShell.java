package dev.runway.ui;

import com.vaadin.flow.component.page.AppShellConfigurator;
import com.vaadin.flow.component.page.Push;
import com.vaadin.flow.shared.communication.PushMode;
import com.vaadin.flow.shared.ui.Transport;
import com.vaadin.flow.theme.Theme;

/**
 * Push over a websocket for live progress; client-to-server messages travel as plain HTTP requests (so that sign-in
 * can change the session id on a real response).
 */
@Push(value = PushMode.AUTOMATIC, transport = Transport.WEBSOCKET_XHR)
@Theme("runway")
public class AppShell implements AppShellConfigurator {}
