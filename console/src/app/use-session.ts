import { useQuery } from "@tanstack/react-query";
import { useSyncExternalStore } from "react";
import { api, data } from "../api/client";
import { getSession, subscribeSession } from "../api/session";
import type { CurrentUser, Role } from "../api/types";

export function useSessionState() {
  return useSyncExternalStore(subscribeSession, getSession);
}

export function useCurrentUser() {
  const { token } = useSessionState();
  return useQuery({
    queryKey: ["me", token],
    queryFn: () => data(api.GET("/api/v4/users/me")),
    enabled: token !== null,
    staleTime: 60_000,
  });
}

export function roleOf(user: CurrentUser | undefined): Role {
  const role = user?.role;
  return role === "admin" || role === "editor" ? role : "viewer";
}

/** Editors and admins write assets: import, create, edit, delete and restore them. */
export const canWriteAssets = (user: CurrentUser | undefined) => roleOf(user) !== "viewer";
export const isAdmin = (user: CurrentUser | undefined) => roleOf(user) === "admin";
