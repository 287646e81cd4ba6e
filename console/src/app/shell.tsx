import { AppShell, Badge, Button, Group, Text, UnstyledButton } from "@mantine/core";
import { useQueryClient } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { Link, useLocation } from "wouter";
import { api } from "../api/client";
import { endSession } from "../api/session";
import { NEW_ASSET } from "./paths";
import { isAdmin, roleOf, useCurrentUser } from "./use-session";
import classes from "./shell.module.css";

const NAV = [
  { href: "/", label: "Dashboard", adminOnly: false, current: (location: string) => location === "/" },
  { href: "/assets", label: "Assets", adminOnly: false, current: (location: string) => location.startsWith("/assets") || location === NEW_ASSET },
  { href: "/imports", label: "Imports", adminOnly: false, current: (location: string) => location.startsWith("/imports") },
  { href: "/admin", label: "Admin", adminOnly: true, current: (location: string) => location.startsWith("/admin") },
];

export function Shell({ children }: { children: ReactNode }) {
  const me = useCurrentUser();
  const queryClient = useQueryClient();
  const [location] = useLocation();

  const logOut = async () => {
    try {
      await api.DELETE("/api/v4/auth/token");
    } catch {
      // the session ends here whatever the service says
    }
    endSession(null);
    queryClient.clear();
  };

  return (
    // On a phone the links get a row of their own under the name and Log out, so that none is cut off.
    <AppShell header={{ height: { base: 92, sm: 56 } }} padding="md">
      <AppShell.Header>
        <div className={classes.bar}>
          <UnstyledButton component={Link} href="/" className={classes.brand}>
            Assetport
          </UnstyledButton>
          <nav aria-label="Main" className={classes.nav}>
            {NAV.filter((item) => !item.adminOnly || isAdmin(me.data)).map((item) => (
              <Link key={item.href} href={item.href} className={classes.navLink} aria-current={item.current(location) ? "page" : undefined}>
                {item.label}
              </Link>
            ))}
          </nav>
          <Group gap="xs" wrap="nowrap" className={classes.user}>
            {me.data ? (
              <>
                <Text size="sm" visibleFrom="sm">
                  {me.data.full_name || me.data.username}
                </Text>
                <Badge variant="outline" aria-label={`Role: ${roleOf(me.data)}`} className={classes.fixed}>
                  {roleOf(me.data)}
                </Badge>
              </>
            ) : null}
            <Button variant="default" size="xs" onClick={() => void logOut()} className={classes.fixed}>
              Log out
            </Button>
          </Group>
        </div>
      </AppShell.Header>
      <AppShell.Main>{children}</AppShell.Main>
    </AppShell>
  );
}
