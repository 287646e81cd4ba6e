import { Center, Loader } from "@mantine/core";
import { useQueryClient } from "@tanstack/react-query";
import { lazy, Suspense, useEffect } from "react";
import { Redirect, Route, Switch, useLocation } from "wouter";
import { ErrorBoundary } from "../ui/error-boundary";
import { ImportsPage } from "../imports/imports-page";
import { NotFoundPage } from "./not-found-page";
import { LoginPage } from "./login-page";
import { NEW_ASSET } from "./paths";
import { Shell } from "./shell";
import { useSessionState } from "./use-session";

// The login screen, the shell and the list of imports are the first screen;
// every other page loads when first opened.
const DashboardPage = lazy(() => import("../dashboard/dashboard-page"));
const AssetListPage = lazy(() => import("../asset-list/asset-list-page"));
const AssetPage = lazy(() => import("../asset/asset-page"));
const CreateAssetPage = lazy(() => import("../asset/create-asset-page"));
const AdminPage = lazy(() => import("../admin/admin-page"));
const WizardPage = lazy(() => import("../wizard/wizard-page"));
const ResultPage = lazy(() => import("../report/result-page"));

export function App() {
  const session = useSessionState();
  const queryClient = useQueryClient();
  const [location] = useLocation();
  useEffect(() => {
    if (session.token === null) queryClient.clear();
  }, [session.token, queryClient]);

  if (session.token === null) return <LoginPage reason={session.endedBecause} />;
  return (
    <Shell>
      <ErrorBoundary key={location}>
        <Suspense
          fallback={
            <Center py="xl">
              <Loader aria-label="Loading" />
            </Center>
          }
        >
          <Switch>
            <Route path="/" component={DashboardPage} />
            <Route path="/assets" component={AssetListPage} />
            <Route path={NEW_ASSET} component={CreateAssetPage} />
            <Route path="/assets/:id">{(params) => <AssetPage assetId={decodeURIComponent(params.id)} />}</Route>
            <Route path="/admin">
              <Redirect to="/admin/fields" replace />
            </Route>
            <Route path="/admin/:section">{(params) => <AdminPage section={params.section} />}</Route>
            <Route path="/imports" component={ImportsPage} />
            <Route path="/imports/new" component={WizardPage} />
            <Route path="/imports/:id">{(params) => <ResultPage importId={Number(params.id)} />}</Route>
            <Route component={NotFoundPage} />
          </Switch>
        </Suspense>
      </ErrorBoundary>
    </Shell>
  );
}
